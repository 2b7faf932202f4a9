"""Records for the map tests: ordinary ones, national ones, and hostile ones full of markup and script."""

from __future__ import annotations

from pare_desktop.core.records import Area, Phone, Structure

#: Each sets window.__pwned (or would show markup) if the data were ever interpreted as HTML or JS.
PWN = "window.__pwned=1;document.documentElement.dataset.pwned=1"
HOSTILE_TEXTS = (
    f'<img src=x onerror="{PWN}">',
    f"<script>{PWN}</script>",
    f"</script><script>{PWN}</script>",
    "${" + PWN + "}",
    "`${" + PWN + "}`",
    f'"\'><svg onload="{PWN}">',
    "<b>gras</b> & <i>italique</i> <!--",
    f"javascript:{PWN}",
)


def structure(
    i: int,
    *,
    lat: float,
    lon: float,
    exact: bool = True,
    type_: str = "urgence",
    name: str | None = None,
    commune: str = "Paris",
    phone: str = "01 99 00 00 00",
) -> Structure:
    return Structure(
        id=f"t:{i}",
        source="t",
        source_id=str(i),
        name=name or f"Structure {i} (démo)",
        type=type_,
        commune=commune,
        latitude=lat,
        longitude=lon,
        position_exact=exact,
        # the map shows what the number reads as (core.phones.shown): hostile text stays hostile text
        phones=(Phone(number="+33199000000" if phone == "01 99 00 00 00" else phone, display=phone),)
        if phone else (),
    )


def national(i: int, name: str = "Allô Enfance en danger", phone: str = "119") -> Structure:
    return Structure(
        id=f"n:{i}",
        source="n",
        source_id=str(i),
        name=name,
        type="ligne-ecoute-nationale",
        area=Area(national=True),
        phones=(Phone(number=phone, display=phone),),
    )


def grid(n: int, *, lat0: float = 48.0, lon0: float = 1.0, step: float = 0.05) -> list[Structure]:
    """n structures on a regular grid in mainland France."""
    side = max(1, int(n**0.5))
    return [
        structure(i, lat=lat0 + (i // side) * step, lon=lon0 + (i % side) * step, exact=bool(i % 2))
        for i in range(n)
    ]


def hostile() -> list[Structure]:
    """One located and one national record per hostile text, every text field hostile."""
    out: list[Structure] = []
    for i, text in enumerate(HOSTILE_TEXTS):
        out.append(structure(1000 + i, lat=-12.78 + i * 0.02, lon=45.2, name=text, commune=text, phone=text))
        out.append(national(1000 + i, name=text, phone=text))
    return out
