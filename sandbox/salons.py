"""The operator's salons the demo world knows: plain constants (an id as in salon.ini's
`[salon] id`, the name, the home region).

R11: a paper detalization ordered online is picked up at a salon of the number's home region
(R7), so every region of the world has one, and the world's pick-up orders are drawn for each.
`MSK-TVERSKAYA-12` is the salon of the shipped salon.ini.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Salon:
    id: str
    name: str
    region_code: str  # ISO 3166-2, as sandbox.regions


SALONS: tuple[Salon, ...] = (
    Salon("MSK-TVERSKAYA-12", "Салон «Тверская, 12»", "RU-MOW"),
    Salon("SPB-NEVSKY-28", "Салон «Невский, 28»", "RU-SPE"),
    Salon("UFA-LENINA-5", "Салон «Ленина, 5»", "RU-BA"),
    Salon("SYK-KOMMUNISTICHESKAYA-3", "Салон «Коммунистическая, 3»", "RU-KO"),
    Salon("KRD-KRASNAYA-50", "Салон «Красная, 50»", "RU-KDA"),
    Salon("NSK-KRASNY-25", "Салон «Красный проспект, 25»", "RU-NVS"),
    Salon("VVO-SVETLANSKAYA-10", "Салон «Светланская, 10»", "RU-PRI"),
    Salon("KZN-BAUMANA-20", "Салон «Баумана, 20»", "RU-TA"),
)
SALONS_BY_ID: dict[str, Salon] = {salon.id: salon for salon in SALONS}
