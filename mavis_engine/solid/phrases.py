"""Solid-geometry wording in Chinese: the solids' names, what each labelled length is, the
quantities asked for, and the rationale's sentences.

The English text keeps its own words (``text``, ``problems``, ``chains``); a Chinese row
takes the same template context and the same working with its words replaced here. The
working's lines are English sentences around formulas: each is matched whole by one of
``LINES`` and written again as a Chinese teacher writes it, the formulas and values kept
as they are (``line_zh`` says None for a sentence it does not know).
"""

from __future__ import annotations

import re
from typing import Any

#: A regular polygon of n sides, and a prism's or pyramid's name by its base.
POLYGONS = {3: "正三角形", 4: "正方形", 6: "正六边形"}
_SIDES = {3: "三", 4: "四", 6: "六"}

NOUNS = {
    "cube": "正方体",
    "cuboid": "长方体",
    "cylinder": "圆柱",
    "cone": "圆锥",
    "sphere": "球",
    "hemisphere": "半球",
    "frustum": "圆台",
    "cone_on_cylinder": "组合体",
    "hemisphere_on_cylinder": "组合体",
    "cuboid_with_roof": "组合体",
    "cuboid_with_hole": "几何体",
}
#: A part of a composite, by the English word ``text.context`` gives it.
PART_NOUNS = {
    "cuboid": "长方体",
    "triangular prism": "三棱柱",
    "hemisphere": "半球",
    "cylinder": "圆柱",
    "cone": "圆锥",
    "hole": "孔",
}
#: What a labelled length is (``text.GIVEN_ROLES``, a solid's ``roles``, a chain's givens).
ROLES = {
    "edge": "棱长",
    "length": "长",
    "width": "宽",
    "height": "高",
    "base edge": "底面边长",
    "radius": "底面半径",
    "radius of the bottom base": "下底面半径",
    "radius of the top base": "上底面半径",
    "height of the cylinder": "圆柱的高",
    "height of the cone": "圆锥的高",
    "height of the cuboid": "长方体的高",
    "height of the roof": "屋顶的高",
    "radius of the hole": "孔的半径",
    "face diagonal": "面对角线",
    "space diagonal": "体对角线",
    "lateral face diagonal": "侧面对角线",
    "slant height": "斜高",
    "lateral edge": "侧棱",
    "apothem of the base": "底面边心距",
    "slant height of the cone": "圆锥的母线长",
    "slant edge of the roof": "屋顶的斜边",
    "volume": "体积",
}
#: Roles worded otherwise for some solids: a sphere's radius is no base's, and a round
#: solid's slant height is its generatrix (母线).
KIND_ROLES = {
    ("sphere", "radius"): "半径",
    ("hemisphere", "radius"): "半径",
    ("cone", "slant height"): "母线长",
    ("frustum", "slant height"): "母线长",
}
#: The quantity a problem asks for.
ASKED = {
    "volume": "体积",
    "surface_area": "表面积",
    "height": "高",
    "lateral_area": "侧面积",
    "tan": "体对角线AG与底面ABCD所成角的正切值",  # chains.cuboid_diagonal_tangent
}


def noun(kind: str, sides: int | None = None) -> str:
    """The solid's name: 正方体, 正三棱柱, 正四棱锥, 圆台, 组合体, ..."""
    if kind == "prism":
        return f"正{_SIDES[sides]}棱柱"
    if kind == "pyramid":
        return f"正{_SIDES[sides]}棱锥"
    return NOUNS[kind]


def role(kind: str, name: str) -> str:
    """What a length of a ``kind`` solid is, in Chinese."""
    return KIND_ROLES.get((kind, name), ROLES[name])


def context(ctx: dict[str, Any]) -> dict[str, Any]:
    """``text.context`` worded in Chinese: the solid's name, its lengths' roles and its
    parts' names (numbers and point names as they are)."""
    kind = ctx["kind"]

    def roled(items: list[dict]) -> list[dict]:
        return [{**item, "role": role(kind, item["role"])} for item in items]

    name = noun(kind, ctx.get("base_sides"))
    return {
        **ctx,
        "noun": name,
        "what": name,
        "given": roled(ctx["given"]),
        "lengths": roled(ctx["lengths"]),
        "parts": [{**p, "noun": PART_NOUNS[p["noun"]]} for p in ctx["parts"]],
        "polygon": POLYGONS.get(ctx.get("base_sides") or 0, "正多边形"),
    }


# ---------------------------------------------------------------------------- rationale

_F = r"(.+)"  # a formula or value, kept as it is
_f = r"(.+?)"
#: Each English sentence of the working (matched whole) and its Chinese; ``{what}`` is the
#: solid's name, ``{polygon}`` its base's, ``\1`` ... the formulas the sentence holds.
LINES: list[tuple[re.Pattern[str], str]] = [
    (
        rf"The base is a regular polygon of side a = {_f}: S_base = {_f} = {_f}, and its "
        rf"apothem is OM = {_f} = {_f}\.",
        r"底面是边长a = \1的{polygon}，底面积S底 = \2 = \3，底面边心距OM = \4 = \5。",
    ),
    (
        rf"The base is a regular polygon of side a = {_f}: S_base = {_f} = {_F}\.",
        r"底面是边长a = \1的{polygon}，底面积S底 = \2 = \3。",
    ),
    (
        rf"The apothem of the base is m = {_f} = {_f}, so the slant height is l = {_F}\.",
        r"底面边心距m = \1 = \2，由勾股定理，斜高l = \3。",
    ),
    (rf"The slant height is l = {_F}\.", r"由勾股定理，母线长l = \1。"),
    (rf"The cone's slant height is l = {_F}\.", r"由勾股定理，圆锥的母线长l = \1。"),
    (rf"The roof's slant edge is s = {_F}\.", r"由勾股定理，屋顶的斜边s = \1。"),
    (
        rf"The curved surface is half a sphere's: {_f}; the flat base is a circle: {_F}\.",
        r"半球的曲面是球面的一半，面积为\1；底面是圆，面积为\2。",
    ),
    (
        rf"The prism: its triangle has area {_f}, so V₂ = {_F}\.",
        r"三棱柱的底面是三角形，面积为\1，所以三棱柱的体积V₂ = \2。",
    ),
    (rf"The cylinder: {_F}\.", r"圆柱的体积\1。"),
    (rf"The cone: {_F}\.", r"圆锥的体积\1。"),
    (rf"The hemisphere: {_F}\.", r"半球的体积\1。"),
    (rf"The cuboid: {_F}\.", r"长方体的体积\1。"),
    (rf"The hole: {_F}\.", r"圆孔是一个圆柱，它的体积\1。"),
    (rf"The cuboid's faces: {_F}\.", r"长方体六个面的面积之和为\1。"),
    (
        rf"The two openings take away {_f}; the hole's wall adds {_F}\.",
        r"上下两个圆口要减去\1；孔的内壁（圆柱的侧面）要加上\2。",
    ),
    (
        r"The shared circle is inside the solid and is not counted\.",
        "两部分的公共圆面在组合体内部，不计入表面积。",
    ),
    (
        r"The top face of the cuboid is covered by the prism and is not counted\.",
        "长方体的上底面被三棱柱盖住，不计入表面积。",
    ),
    (
        r"PO is perpendicular to the base, so the triangle POA has a right angle at O:",
        "因为PO⊥底面，所以△POA是以O为直角顶点的直角三角形，由勾股定理得：",
    ),
    (
        rf"PO is perpendicular to the base, so h = PO = {_F}\.",
        r"因为PO⊥底面，所以△POM是以O为直角顶点的直角三角形，由勾股定理得h = PO = \1。",
    ),
    (
        r"PV is perpendicular to the shared face and PB = OA is its radius, so the triangle "
        r"VPB has a right angle at P:",
        "因为PV⊥公共圆面，且PB = OA是公共圆的半径，所以△VPB是以P为直角顶点的直角三角形，"
        "由勾股定理得：",
    ),
    (
        r"The space diagonal of a cube of edge a is AG = (.+),",
        r"棱长为a的正方体的体对角线AG = \1，",
    ),
    (rf"so a = {_F}\.", r"所以a = \1。"),
    (
        rf"Drop a perpendicular from B to the bottom base: it is as long as the height h, and "
        rf"its foot is R − r = {_F} from A along OA\.",
        r"过B作下底面的垂线，垂线段的长等于圆台的高h，垂足在OA上，且到A的距离为"
        r"R − r = \1。",
    ),
    (rf"(h = √\(AB² − \(R − r\)²\) = {_F})\.", r"由勾股定理，\1。"),
    (rf"(V = V₁ [+−] V₂ = {_F})\.", r"{what}的体积\1。"),
    (rf"(V = {_F})\.", r"{what}的体积\1。"),
    (rf"(S = {_F})\.", r"{what}的表面积\1。"),
    (
        r"The volume of a cylinder is V = πr²h, so h = V/\(πr²\)\.",
        "由圆柱的体积公式V = πr²h，得h = V/(πr²)。",
    ),
    (
        r"The volume of a cuboid is V = AB·BC·AE, so AE = V/\(AB·BC\)\.",
        "由长方体的体积公式V = AB·BC·AE，得AE = V/(AB·BC)。",
    ),
    (rf"(l = PA = {_F})\.", r"母线长\1。"),
    (
        r"CG is perpendicular to the base ABCD, so the angle between AG and the base is ∠GAC, "
        r"and the triangle GAC has a right angle at C\.",
        "因为CG⊥底面ABCD，所以AG与底面所成的角为∠GAC，且△GAC是以C为直角顶点的直角三角形。",
    ),
    (rf"In the base, (AC = {_F})\.", r"在底面的直角三角形ABC中，由勾股定理，\1。"),
    (rf"(tan∠GAC = {_F})\.", r"\1。"),
    (rf"(S_lateral = {_F})\.", r"{what}的侧面积\1。"),
    (rf"((?:h|PV|AE) = {_F})\.", r"\1。"),
]
LINES = [(re.compile(pattern), zh) for pattern, zh in LINES]
#: English symbols the Chinese working writes otherwise (the cuboid's l, w, h are its
#: a, b, c, as Chinese textbooks write V = abc).
SYMBOLS = [
    ("S_base", "S底"),
    ("S_lateral", "S侧"),
    ("l·w·h", "abc"),
    ("2(lw + wh + lh)", "2(ab + bc + ac)"),
]


def line_zh(line: str, what: str, polygon: str) -> str | None:
    """One line of the working in Chinese, or None when no rule knows it."""
    for pattern, zh in LINES:
        found = pattern.fullmatch(line)
        if found:
            text = found.expand(zh.replace("{what}", what).replace("{polygon}", polygon))
            for english, chinese in SYMBOLS:
                text = text.replace(english, chinese)
            return text
    return None


def working(lines: list[str], ctx: dict[str, Any]) -> list[str]:
    """The working in Chinese, opened with 解 (a sentence no rule knows stays as it is:
    the language tests catch it)."""
    return ["解："] + [line_zh(line, ctx["what"], ctx["polygon"]) or line for line in lines]


def conclusion(ctx: dict[str, Any], target: str) -> str:
    """The closing sentence, ``{}`` for the value: 所以圆锥的体积为{}。"""
    return f"所以{ctx['what']}的{ASKED[target]}为{{}}。"
