"""Names of Russia's regions (ISO 3166-2:RU) as documents and refusals name them: the salon's
own region comes from salon.ini as a code, and R7 refusals name it."""

from __future__ import annotations

REGION_NAMES: dict[str, tuple[str, str]] = {  # code → (Russian, English)
    "RU-MOW": ("Москва", "Moscow"),
    "RU-SPE": ("Санкт-Петербург", "Saint Petersburg"),
    "RU-MOS": ("Московская область", "Moscow Oblast"),
    "RU-LEN": ("Ленинградская область", "Leningrad Oblast"),
    "RU-BA": ("Республика Башкортостан", "Republic of Bashkortostan"),
    "RU-KO": ("Республика Коми", "Komi Republic"),
    "RU-KDA": ("Краснодарский край (Кубань)", "Krasnodar Krai (Kuban)"),
    "RU-NVS": ("Новосибирская область", "Novosibirsk Oblast"),
    "RU-PRI": ("Приморский край", "Primorsky Krai"),
    "RU-TA": ("Республика Татарстан", "Republic of Tatarstan"),
    "RU-SVE": ("Свердловская область", "Sverdlovsk Oblast"),
    "RU-NIZ": ("Нижегородская область", "Nizhny Novgorod Oblast"),
    "RU-SAM": ("Самарская область", "Samara Oblast"),
    "RU-ROS": ("Ростовская область", "Rostov Oblast"),
    "RU-KYA": ("Красноярский край", "Krasnoyarsk Krai"),
    "RU-PER": ("Пермский край", "Perm Krai"),
    "RU-VOR": ("Воронежская область", "Voronezh Oblast"),
    "RU-VGG": ("Волгоградская область", "Volgograd Oblast"),
    "RU-CHE": ("Челябинская область", "Chelyabinsk Oblast"),
    "RU-OMS": ("Омская область", "Omsk Oblast"),
}


def region_name(code: str, language: str = "ru") -> str:
    """The region's name, or its code when the console does not know it."""
    names = REGION_NAMES.get(code)
    if names is None:
        return code
    return names[0] if language == "ru" else names[1]
