"""Opening hours in French: a short summary of an OSM expression, and French text read into OSM syntax."""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import datetime, timedelta

from .hours import compile_hours

#: A week with no French public holiday: the summary describes an ordinary week.
_REFERENCE_MONDAY = datetime(2025, 3, 3)
_SHORT = ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.")
_OSM_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
EXAMPLE = "Lu-Ve 8h-12h, 14h-17h"


class HoursSyntaxError(ValueError):
    """French hours that could not be read; `message` is the sentence to show beside the field."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- OSM -> French ---------------------------------------------------------------------------------
def _clock(minutes: int) -> str:
    h, m = divmod(minutes, 60)
    return f"{h} h" if m == 0 else f"{h} h {m:02d}"


def _day_spans(oh: str) -> list[tuple[tuple[int, int, bool], ...]] | None:
    """For each day of the reference week, its (start, end, to_confirm) spans in minutes."""
    compiled = compile_hours(oh)
    if compiled is None:
        return None
    days = []
    for offset in range(7):
        begin = _REFERENCE_MONDAY + timedelta(days=offset)
        end = begin + timedelta(days=1)
        spans = []
        try:
            for lo, hi, state, _comment in compiled.intervals(begin, end):
                name = str(state).lower()
                if name not in ("open", "unknown"):
                    continue
                lo = max(lo, begin)
                hi = end if hi is None or hi > end else hi
                spans.append((int((lo - begin).total_seconds() // 60),
                              int((hi - begin).total_seconds() // 60), name == "unknown"))
        except Exception:  # the Rust side can panic on odd expressions
            return None
        days.append(tuple(spans))
    return _join_nights(days)


def _join_nights(days: list[tuple[tuple[int, int, bool], ...]]) -> list[tuple[tuple[int, int, bool], ...]]:
    """An evening that runs past midnight is one span of its evening: « 18 h–8 h », not « 0 h–8 h » the
    next day plus « 18 h–24 h » (ends past midnight are kept as minutes beyond 1440)."""
    out = [list(d) for d in days]
    for d in range(7):
        nxt = (d + 1) % 7
        if not out[d] or not out[nxt]:
            continue
        lo, hi, unsure = out[d][-1]
        nlo, nhi, nunsure = out[nxt][0]
        if hi == 1440 and lo > 0 and nlo == 0 and nhi < 1440 and unsure == nunsure:
            out[d][-1] = (lo, 1440 + nhi, unsure)
            out[nxt] = out[nxt][1:]
    return [tuple(d) for d in out]


def _wall(minutes: int) -> int:
    """Minutes past midnight on the clock (a span's end after midnight reads 2 h, not 26 h)."""
    return minutes - 1440 if minutes > 1440 else minutes


def week_spans(oh: str) -> list[list[tuple[int, int]]] | None:
    """Each day's opening spans in minutes, Monday first, for an ordinary week; None when invalid."""
    days = _day_spans(oh.strip()) if oh.strip() else [() for _ in range(7)]
    return None if days is None else [[(lo, hi) for lo, hi, _ in d] for d in days]


def french_ranges(spans: list[tuple[int, int]]) -> str:
    """[(480, 720), (840, 1020)] -> « 8h-12h, 14h-17h » (what the day rows of the editor show)."""
    def clock(m: int) -> str:
        m = _wall(m)
        return f"{m // 60}h" + (f"{m % 60:02d}" if m % 60 else "")

    return ", ".join(f"{clock(lo)}-{clock(hi)}" for lo, hi in spans)


def osm_from_week(week: list[list[tuple[int, int]]]) -> str:
    """Day spans (Monday first) as OSM, days with the same hours grouped: « Mo-Fr 08:00-12:00 »."""
    groups: dict[tuple[tuple[int, int], ...], list[int]] = {}
    for day, day_spans in enumerate(week):
        if day_spans:
            groups.setdefault(tuple(day_spans), []).append(day)
    rules = []
    for spans, days in sorted(groups.items(), key=lambda item: item[1][0]):
        runs = _day_runs(days)
        selector = ",".join(_OSM_DAYS[r[0]] if len(r) == 1 else f"{_OSM_DAYS[r[0]]}-{_OSM_DAYS[r[-1]]}"
                            for r in runs)
        rules.append(f"{selector} {','.join(f'{_hhmm(lo)}-{_hhmm(hi)}' for lo, hi in spans)}")
    osm = "; ".join(rules)
    return "24/7" if osm == "Mo-Su 00:00-24:00" else osm


def _spans_text(spans: tuple[tuple[int, int, bool], ...]) -> str:
    if len(spans) == 1 and spans[0][:2] == (0, 1440):
        return "24 h/24" + (" (à confirmer)" if spans[0][2] else "")
    parts = [f"{_clock(lo)}–{_clock(_wall(hi))}" + (" (à confirmer)" if unsure else "")
             for lo, hi, unsure in spans]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " et " + parts[-1]


def _day_runs(days: list[int]) -> list[list[int]]:
    """Sorted day numbers cut into runs of consecutive days: [0, 1, 2, 4] -> [[0, 1, 2], [4]]."""
    runs: list[list[int]] = []
    for d in days:
        if runs and runs[-1][-1] == d - 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    return runs


def _days_text(days: list[int]) -> str:
    runs = _day_runs(days)
    words = []
    for run in runs:
        if len(run) >= 3:
            words.append(f"{_SHORT[run[0]]}–{_SHORT[run[-1]]}")
        else:
            words.extend(_SHORT[d] for d in run)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " et " + words[-1]


@functools.lru_cache(maxsize=4096)
def summary_fr(oh: str) -> str:
    """« lun.–jeu. 9 h–12 h 30 et 14 h–17 h 30 ; ven. 9 h–12 h 30 », « 24 h/24, 7 j/7 »; "" when
    the expression is empty or invalid (raw OSM syntax is never shown to a person)."""
    days = _day_spans(oh.strip()) if oh.strip() else None
    if days is None:
        return ""
    if all(d == ((0, 1440, False),) for d in days):
        return "24 h/24, 7 j/7"
    groups: dict[tuple[tuple[int, int, bool], ...], list[int]] = {}
    for index, spans in enumerate(days):
        if spans:
            groups.setdefault(spans, []).append(index)
    if not groups:
        return "fermé"
    ordered = sorted(groups.items(), key=lambda item: item[1][0])
    text = " ; ".join(f"{_days_text(d)} {_spans_text(spans)}" for spans, d in ordered)
    if re.search(r"\bPH\s+(off|closed)\b", oh):
        text += " ; fermé les jours fériés"
    return text


_DAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def day_text(oh: str, day: int) -> str:
    """One day of an OSM expression in words, Monday = 0: « le mercredi de 14 h à 17 h 30 », « le lundi de
    9 h à 12 h et de 14 h à 17 h »; "" when that day is closed or the expression is empty or invalid."""
    days = _day_spans(oh.strip()) if oh.strip() else None
    if days is None or not days[day]:
        return ""
    spans = days[day]
    if len(spans) == 1 and spans[0][:2] == (0, 1440):
        return f"le {_DAY_NAMES[day]} 24 h/24"
    parts = [f"de {_clock(lo)} à {_clock(_wall(hi))}" for lo, hi, _ in spans]
    ranges = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " et " + parts[-1]
    return f"le {_DAY_NAMES[day]} {ranges}"


def hours_line(opening_hours: str, hours_text: str) -> str:
    """The structure's own hours for a person: the French summary, then its free text if any."""
    summary = summary_fr(opening_hours)
    extra = hours_text.strip()
    if extra.lower().startswith("horaires"):
        extra = extra.split(":", 1)[-1].strip() if ":" in extra else extra
    return " — ".join(x for x in (summary, extra) if x)


# --- French -> OSM ---------------------------------------------------------------------------------
_DAY_WORDS = {
    "lundi": 0, "lundis": 0, "lun": 0, "lu": 0,
    "mardi": 1, "mardis": 1, "mar": 1, "ma": 1,
    "mercredi": 2, "mercredis": 2, "mer": 2, "me": 2,
    "jeudi": 3, "jeudis": 3, "jeu": 3, "je": 3,
    "vendredi": 4, "vendredis": 4, "ven": 4, "ve": 4, "vend": 4,
    "samedi": 5, "samedis": 5, "sam": 5, "sa": 5,
    "dimanche": 6, "dimanches": 6, "dim": 6, "di": 6,
}
_FILLERS = {"de", "du", "le", "les", "la", "l", "et", "h", "ouvert", "ouverte", "horaires", "", "puis",
            "matin", "apres", "midi_", "soir", "sur", "place"}
_TOKEN = re.compile(
    r"""(?P<skip>\(?\s*a\s+confirmer\s*\)?)
      |(?P<always>24\s*h?\s*/\s*24(?:\s*,?\s*7\s*j?\s*/\s*7)?)
      |(?P<week>7\s*j\s*/\s*7|7\s*/\s*7|tous\s+les\s+jours|toute\s+la\s+semaine)
      |(?P<holiday>jours?\s+feries?|feries?)
      |(?P<time>\d{1,2}\s*(?:h|:)\s*(?:\d{2})?|\d{1,2}(?=\s*(?:-|a\b|au\b|jusqu))|midi|minuit)
      |(?P<dash>-|\ba\b|\bau\b|jusqu\s*a)
      |(?P<semi>;|\n)
      |(?P<comma>,|/|&)
      |(?P<word>[a-z]+)
      |(?P<space>[\s.'’]+)
    """,
    re.VERBOSE,
)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub("[\u2010-\u2015\u2212]", "-", text)


def _minutes(token: str) -> int:
    if token == "midi":
        return 720
    if token == "minuit":
        return 1440
    m = re.match(r"(\d{1,2})\s*(?:h|:)?\s*(\d{2})?", token)
    assert m is not None
    h, mm = int(m.group(1)), int(m.group(2) or 0)
    if h > 24 or mm > 59 or (h == 24 and mm):
        raise HoursSyntaxError(f"Heure impossible : « {token.strip()} ».")
    return h * 60 + mm


def _hhmm(minutes: int) -> str:
    minutes = _wall(minutes)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise HoursSyntaxError(f"Caractère non compris : « {text[pos]} ». Exemple : « {EXAMPLE} ».")
        kind = m.lastgroup or ""
        pos = m.end()
        if kind in ("space", "skip"):
            continue
        value = m.group(0).strip()
        if kind == "word":
            if value in _DAY_WORDS:
                kind = "day"
            elif value in ("ferme", "fermee", "fermes", "fermees", "sauf"):
                kind = "off"
            elif value in _FILLERS:
                continue
            else:
                raise HoursSyntaxError(f"Mot non compris : « {value} ». Exemple : « {EXAMPLE} ».")
        out.append((kind, value))
    return out


class _Rule:
    def __init__(self) -> None:
        self.days: list[str] = []
        self.times: list[str] = []
        self.off = False

    def empty(self) -> bool:
        return not (self.days or self.times or self.off)

    def osm(self) -> str:
        if not (self.times or self.off) and self.days and all(d not in ("PH",) for d in self.days):
            raise HoursSyntaxError(f"Précisez les heures de ces jours : par exemple « {EXAMPLE} ».")
        days = ",".join(self.days)
        if self.off:
            return f"{days} off".strip() if days else "off"
        return f"{days} {','.join(self.times)}".strip()


def parse_french_hours(text: str) -> str:
    """« Lu-Ve 8h-12h, 14h-17h » -> « Mo-Fr 08:00-12:00,14:00-17:00 ». Valid OSM text is kept as it is.

    Raises HoursSyntaxError (a French message) when the text cannot be read.
    """
    raw = text.strip()
    if not raw:
        return ""
    if compile_hours(raw) is not None and not re.search(r"\d\s*h", raw.lower()):
        return raw
    toks = _tokens(_fold(raw))
    rules: list[_Rule] = []
    rule = _Rule()
    i = 0
    while i < len(toks):
        kind, value = toks[i]
        nxt = toks[i + 1] if i + 1 < len(toks) else ("", "")
        if kind == "semi":
            if not rule.empty():
                rules.append(rule)
            rule = _Rule()
        elif kind in ("day", "week", "holiday"):
            if rule.times or (rule.off and rule.days):
                rules.append(rule)
                rule = _Rule()
            if kind == "week":
                rule.days.append("Mo-Su")
            elif kind == "holiday":
                rule.days.append("PH")
            elif nxt[0] == "dash" and i + 2 < len(toks) and toks[i + 2][0] == "day":
                first, last = _DAY_WORDS[value], _DAY_WORDS[toks[i + 2][1]]
                rule.days.append(f"{_OSM_DAYS[first]}-{_OSM_DAYS[last]}" if first != last
                                 else _OSM_DAYS[first])
                i += 2
            else:
                rule.days.append(_OSM_DAYS[_DAY_WORDS[value]])
        elif kind == "always":
            if rule.times:
                rules.append(rule)
                rule = _Rule()
            if "7" in value.split("24")[-1]:
                rule.days = rule.days or ["Mo-Su"]
            rule.times.append("00:00-24:00")
        elif kind == "time":
            if nxt[0] != "dash" or i + 2 >= len(toks) or toks[i + 2][0] != "time":
                raise HoursSyntaxError(
                    f"Donnez une plage horaire (début et fin) après « {value} » : par exemple « 8h-12h ».")
            lo, hi = _minutes(value), _minutes(toks[i + 2][1])
            if hi == 0:
                hi = 1440
            if lo == 1440:
                raise HoursSyntaxError("Une plage ne peut pas commencer à minuit (24 h) : écrivez « 0h ».")
            rule.times.append(f"{_hhmm(lo)}-{_hhmm(hi)}")
            i += 2
        elif kind == "off":
            if rule.times:
                rules.append(rule)
                rule = _Rule()
            rule.off = True
        elif kind == "dash":
            raise HoursSyntaxError(f"Tiret mal placé : écrivez par exemple « {EXAMPLE} ».")
        # commas between days or between ranges need nothing more
        i += 1
    if not rule.empty():
        rules.append(rule)
    if not rules:
        raise HoursSyntaxError(f"Aucun horaire compris : écrivez par exemple « {EXAMPLE} ».")
    osm = "; ".join(r.osm() for r in rules)
    osm = {"Mo-Su 00:00-24:00": "24/7", "00:00-24:00": "24/7"}.get(osm, osm)
    if compile_hours(osm) is None:
        raise HoursSyntaxError(f"Horaires non compris : écrivez par exemple « {EXAMPLE} ».")
    return osm
