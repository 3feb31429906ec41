"""Plane-geometry rationale wording per language: sentence forms, quantity names, and the
reasons (formula names) in Chinese, keyed by the English reason a formula carries."""

from __future__ import annotations

#: A rationale's sentences (``{reason}``: the formula's reason in the language), the line
#: it opens with (none in English), and how a question states a given (rowcheck reads it).
SENTENCES = {
    "en": {
        "opening": "",
        "step": "Step {i} ({reason}): {chain}.",
        "so": "So {what} is {value}.",
        "is": " is ",
    },
    "zh": {
        "opening": "解：",
        "step": "第{i}步：由{reason}，得{chain}。",
        "so": "所以{what}为{value}。",
        "is": "为",
    },
}

#: How a text names a quantity of a shape (``{of}``: its name or its owner's words).
QUANTITIES = {
    "en": {
        "length": "the length of {of}",
        "angle": "the measure of angle {of}",
        "area": "the area of {of}",
        "perimeter": "the perimeter of {of}",
        "arc_length": "the arc length of {of}",
        "radius": "the radius of {of}",
        "whole": "the whole figure",
        "incircle": "the circle inscribed in {of}",
    },
    "zh": {
        "length": "{of}的长",
        "angle": "∠{of}的度数",
        "area": "{of}的面积",
        "perimeter": "{of}的周长",
        "arc_length": "{of}的弧长",
        "radius": "{of}的半径",
        "whole": "整个图形",
        "incircle": "{of}的内切圆",
    },
}

#: Short names inside formulas: S(ABCD), P(total), arc(ABC), r(ABC).
SYMBOLS = {
    "en": {"area": "S", "perimeter": "P", "arc_length": "arc", "radius": "r", "whole": "total"},
    "zh": {"area": "S", "perimeter": "P", "arc_length": "l", "radius": "r", "whole": "总"},
}
INCIRCLE_SYMBOL = {"en": "incircle({of})", "zh": "{of}内切圆"}

#: Every formula's reason in Chinese, as a teacher writes it after 由.
REASONS_ZH = {
    "Pythagorean theorem: hypotenuse² = leg² + leg²": "勾股定理（斜边² = 直角边² + 直角边²）",
    "a kite has two pairs of equal adjacent sides": "筝形的两组邻边分别相等",
    "adjacent angles of a parallelogram add up to 180°": "平行四边形的邻角互补（和为180°）",
    "all sides of a regular polygon are equal": "正多边形的各边都相等",
    "all sides of a rhombus are equal": "菱形的四条边都相等",
    "all sides of a square are equal": "正方形的四条边都相等",
    "all sides of an equilateral triangle are equal": "等边三角形的三条边都相等",
    "arc length = θ/360° × 2πr": "弧长公式l = θ/360° × 2πr",
    "area = rectangle + equilateral triangle = x × h + √3/4 × x²": (
        "面积 = 矩形面积 + 等边三角形面积 = x × h + √3/4 × x²"
    ),
    "area = rectangle + semicircle = d × h + πd²/8": "面积 = 矩形面积 + 半圆面积 = d × h + πd²/8",
    "area = rectangle − equilateral triangle = x × h − √3/4 × x²": (
        "面积 = 矩形面积 − 等边三角形面积 = x × h − √3/4 × x²"
    ),
    "area = rectangle − semicircle = d × h − πd²/8": "面积 = 矩形面积 − 半圆面积 = d × h − πd²/8",
    "area of a circle = πr²": "圆的面积公式S = πr²",
    "area of a parallelogram = a × b × sin(θ)": "平行四边形的面积 = a × b × sin(θ)",
    "area of a rectangle = length × width": "矩形的面积 = 长 × 宽",
    "area of a regular 5-gon = n × side² / (4 tan(180°/n))": (
        "正n边形的面积 = n × 边长² / (4 tan(180°/n))，这里n = 5"
    ),
    "area of a regular 6-gon = n × side² / (4 tan(180°/n))": (
        "正n边形的面积 = n × 边长² / (4 tan(180°/n))，这里n = 6"
    ),
    "area of a rhombus = side² × sin(θ)": "菱形的面积 = 边长² × sin(θ)",
    "area of a right triangle = leg × leg / 2": "直角三角形的面积 = 两直角边之积 / 2",
    "area of a sector = θ/360° × πr²": "扇形的面积公式S = θ/360° × πr²",
    "area of a square = side²": "正方形的面积 = 边长²",
    "area of a trapezoid = (base + top) / 2 × height, height = (base − top)/2 × tan θ": (
        "梯形的面积 = (下底 + 上底) / 2 × 高，其中高 = (下底 − 上底)/2 × tan θ"
    ),
    "area of a triangle = ½ × a × b × sin(θ)": "三角形的面积 = ½ × a × b × sin(θ)",
    "area of an equilateral triangle = √3/4 × side²": "等边三角形的面积 = √3/4 × 边长²",
    "base angles of an isosceles triangle = (180° − apex) / 2": (
        "等腰三角形的两底角相等，底角 = (180° − 顶角) / 2"
    ),
    "base of an isosceles triangle = 2 × leg × sin(apex / 2)": (
        "等腰三角形的底边 = 2 × 腰 × sin(顶角 / 2)"
    ),
    "both radii of a sector are equal": "扇形的两条半径相等",
    "circumference = 2πr": "圆的周长公式C = 2πr",
    "cos(θ) = adjacent / hypotenuse": "余弦的定义cos(θ) = 邻边 / 斜边",
    "inradius = 2 × area / perimeter": "内切圆半径 = 2 × 面积 / 周长",
    "inradius of a regular 5-gon = side / (2 tan(180°/n))": (
        "正n边形的内切圆半径 = 边长 / (2 tan(180°/n))，这里n = 5"
    ),
    "inradius of a regular 6-gon = side / (2 tan(180°/n))": (
        "正n边形的内切圆半径 = 边长 / (2 tan(180°/n))，这里n = 6"
    ),
    "inradius of a rhombus = side × sin(θ) / 2": "菱形的内切圆半径 = 边长 × sin(θ) / 2",
    "inradius of a right triangle = (a + b − c) / 2": (
        "直角三角形的内切圆半径 = (a + b − c) / 2（c为斜边）"
    ),
    "inradius of an equilateral triangle = √3/6 × side": "等边三角形的内切圆半径 = √3/6 × 边长",
    "leg of an isosceles trapezoid = (base − top) / (2 cos θ)": (
        "等腰梯形的腰 = (下底 − 上底) / (2 cos θ)"
    ),
    "opposite sides of a parallelogram are equal": "平行四边形的对边相等",
    "opposite sides of a rectangle are equal": "矩形的对边相等",
    "perimeter = 3x + 2h (the side under the triangle is removed)": (
        "周长 = 3x + 2h（三角形所在的那条边已去掉）"
    ),
    "perimeter = base + top + 2 × leg": "周长 = 下底 + 上底 + 2 × 腰",
    "perimeter = d + 2h + semicircle arc (the side under the arc is removed)": (
        "周长 = d + 2h + 半圆弧长（半圆所在的那条边已去掉）"
    ),
    "perimeter of a kite = 2 × (a + b)": "筝形的周长 = 2 × (a + b)",
    "perimeter of a parallelogram = 2 × (a + b)": "平行四边形的周长 = 2 × (a + b)",
    "perimeter of a rectangle = 2 × (length + width)": "矩形的周长 = 2 × (长 + 宽)",
    "perimeter of a regular 5-gon = 5 × side": "正五边形的周长 = 5 × 边长",
    "perimeter of a regular 6-gon = 6 × side": "正六边形的周长 = 6 × 边长",
    "perimeter of a rhombus = 4 × side": "菱形的周长 = 4 × 边长",
    "perimeter of a sector = 2r + arc length": "扇形的周长 = 2r + 弧长",
    "perimeter of a square = 4 × side": "正方形的周长 = 4 × 边长",
    "perimeter of a triangle = sum of its sides": "三角形的周长等于三边之和",
    "perimeter of an equilateral triangle = 3 × side": "等边三角形的周长 = 3 × 边长",
    "radius = diameter / 2": "半径 = 直径 / 2",
    "semicircle arc length = π × diameter / 2": "半圆的弧长 = π × 直径 / 2",
    "sin(θ) = opposite / hypotenuse": "正弦的定义sin(θ) = 对边 / 斜边",
    "tan(θ) = opposite / adjacent": "正切的定义tan(θ) = 对边 / 邻边",
    "the acute angles of a right triangle add up to 90°": "直角三角形的两个锐角互余（和为90°）",
    "the inscribed circle of a square has radius side / 2": "正方形内切圆的半径 = 边长 / 2",
    "the legs of an isosceles trapezoid are equal": "等腰梯形的两腰相等",
    "the legs of an isosceles triangle are equal": "等腰三角形的两腰相等",
    "the radius of the sector is its straight side": "扇形的半径就是它的直边",
    "the semicircle's diameter is the rectangle's side": "半圆的直径就是矩形的边",
    "the triangle on the rectangle is equilateral": "矩形上的三角形是等边三角形",
    "the whole area is the sum of the shapes' areas": "整个图形的面积等于各部分面积之和",
    "the whole perimeter is the sum of the outline's pieces": (
        "整个图形的周长等于外轮廓各段长度之和"
    ),
}


def reason(name: str, language: str) -> str:
    """A formula's reason (its English name) in ``language``."""
    return name if language == "en" else REASONS_ZH[name]
