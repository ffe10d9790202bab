"""Commodities inspected, with their English and Spanish names."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class Commodity(Base):
    __tablename__ = "commodities"

    code: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    name_en: Mapped[str] = mapped_column(sa.String(120))
    name_es: Mapped[str] = mapped_column(sa.String(120))
    hs_heading: Mapped[str] = mapped_column(sa.String(12))

    def name(self, language: str) -> str:
        return self.name_es if language == "es" else self.name_en
