"""Home regions of the demo world: plain constants (ISO 3166-2 code, names, IANA time zone).

R7: a detalization is ordered in the number's home region, so every subscriber has one, and
times are shown to the subscriber in the region's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    code: str  # ISO 3166-2
    name: str  # as the operator names it (Russian)
    name_en: str
    timezone: str  # IANA
    def_codes: tuple[str, ...]  # mobile DEF codes (after +7) numbers of this region start with
    weight: int  # relative share of the demo world's subscribers


REGIONS: tuple[Region, ...] = (
    Region("RU-MOW", "Москва", "Moscow", "Europe/Moscow", ("916", "926", "903", "915", "985"), 30),
    Region("RU-SPE", "Санкт-Петербург", "Saint Petersburg", "Europe/Moscow",
           ("911", "921", "931"), 15),
    Region("RU-BA", "Республика Башкортостан", "Republic of Bashkortostan", "Asia/Yekaterinburg",
           ("917", "927", "937"), 10),
    Region("RU-KO", "Республика Коми", "Komi Republic", "Europe/Moscow", ("912", "922"), 8),
    Region("RU-KDA", "Краснодарский край (Кубань)", "Krasnodar Krai (Kuban)", "Europe/Moscow",
           ("918", "928", "938"), 12),
    Region("RU-NVS", "Новосибирская область", "Novosibirsk Oblast", "Asia/Novosibirsk",
           ("913", "923", "953"), 9),
    Region("RU-PRI", "Приморский край", "Primorsky Krai", "Asia/Vladivostok", ("914", "924"), 7),
    Region("RU-TA", "Республика Татарстан", "Republic of Tatarstan", "Europe/Moscow",
           ("919", "987", "960"), 9),
)

REGIONS_BY_CODE: dict[str, Region] = {region.code: region for region in REGIONS}
