"""Analytic-geometry problem wording per language: each question, rationale sentence and
categorical answer as a format string, filled with the same values in every language.

``{Kind}`` is a figure's kind as a sentence starts it ("Circle"), ``{kind}`` as it sits
inside one ("circle"); in Chinese both are the kind's noun (圆)."""

from __future__ import annotations

PHRASES = {
    "en": {
        "area.rect": "{Kind} {n} is {w} wide and {h} tall: area = {w} × {h} = {value}.",
        "area.triangle": (
            "Shoelace formula with the vertices {v1}, {v2}, {v3}: area = |(x2 − x1)(y3 − y1) − "
            "(x3 − x1)(y2 − y1)| / 2 = |{cross}| / 2 = {value}."
        ),
        "area.polygon": (
            "Shoelace formula, vertices in order: area = |Σ (x_i·y_(i+1) − x_(i+1)·y_i)| / 2 = "
            "|{terms}| / 2 = {value}."
        ),
        "area.circle": "Circle {n} has radius {r}: area = πr² = π·{r}² = {value}.",
        "area.ellipse": (
            "Ellipse {n} has semi-axes {a} and {b}: area = πab = π·{a}·{b} = {value}."
        ),
        "area.question": "the area of {kind} {n}",
        "perimeter.rect": "Perimeter = 2 × (width + height) = 2 × ({w} + {h}) = {value}.",
        "perimeter.sides": "Side lengths by the distance formula: {sides}.",
        "perimeter.sum": "Perimeter = {terms} = {value}.",
        "perimeter.circle": "Circumference = 2πr = 2π·{r} = {value}.",
        "perimeter.question": "the perimeter of {kind} {n}",
        # A circle's perimeter is its circumference, as a textbook asks it.
        "perimeter.circle_question": "the circumference of circle {n}",
        "list": ", ",
        "length.step": (
            "Distance formula: √((x2 − x1)² + (y2 − y1)²) = √(({dx})² + ({dy})²) = {value}."
        ),
        "length.question": "the length of segment {n}",
        "slope.step": "Slope = (y2 − y1) / (x2 − x1) = ({dy}) / ({dx}) = {value}.",
        "slope.question": "the slope of {kind} {n}",
        "midpoint.step": (
            "Midpoint = ((x1 + x2)/2, (y1 + y2)/2) = (({x1} + {x2})/2, ({y1} + {y2})/2) = {label}."
        ),
        "midpoint.question": "the midpoint of segment {n}",
        "line.vertical": "Both points have x = {x1}: the line is vertical, {label}.",
        "line.slope": "Slope m = ({y2} − {y1}) / ({x2} − {x1}) = {m}.",
        "line.intercept": "Intercept b = y1 − m·x1 = {y1} − {m}·{x1} = {b}.",
        "equation.is": "The equation is {label}.",
        "equation.question": "the equation of {kind} {n}",
        "circle.rule": (
            "A circle with centre (a, b) and radius r is (x − a)² + (y − b)² = r²; here the "
            "centre is {c} and r = {r}, so r² = {r2}."
        ),
        "parallel": "parallel",
        "perpendicular": "perpendicular",
        "through.axis": "A line {relation} to line {n} is {way}",
        "vertical": "vertical",
        "horizontal": "horizontal",
        "through.slope": "Line {n} has slope m = {m}; a {relation} line has {slope}",
        "through.same": "the same slope {m}",
        "through.normal": "slope −1/m = {m}",
        "through.point": "{rule}, and it passes through {p}.",
        "through.question": "the equation of the line through {p} {relation} to line {n}",
        "parabola.form": "In vertex form y = a(x − h)² + k with vertex {v}: y = a{square}{k}.",
        "parabola.a": (
            "It passes through {p}, one unit right of the vertex, so a·1² = {y} − {k} = {a}."
        ),
        "ellipse.rule": (
            "An ellipse with centre (h, k), horizontal semi-axis a and vertical semi-axis b is "
            "(x − h)²/a² + (y − k)²/b² = 1; here the centre is {c}, a = {a} and b = {b}, so "
            "a² = {a2} and b² = {b2}."
        ),
        "so": "So {question} is {{answer}}.",
        # Between figures (pairs).
        "meet.equations": "Line {ln} is {leq}; circle {cn} is {ceq}.",
        "meet.vertical": "Put x = {x} into the circle: {square} = {r2} − ({x} − {cx})² = {rest}.",
        "meet.substitute": "Substitute y = {y} and clear fractions: {equation}.",
        "meet.discriminant": "Its discriminant is {qb}² − 4·{qa}·{qc} = {value}.",
        "meet.with": " with y = ",
        "meet.none": "That is negative: the line misses the circle.",
        "meet.one": "That is zero: the line is tangent to the circle and touches it at {label}.",
        "meet.two": "That is positive: {solve} give the two crossing points {label}.",
        "meet.question": "the intersection points of line {ln} and circle {cn}",
        "meet.asked": "What are the intersection points of line {ln} and circle {cn}?",
        "meet.so": "So the intersection points of line {ln} and circle {cn} are: {{answer}}.",
        "distance.general": "Line {n} in general form: {equation}.",
        "distance.formula": (
            "Distance from the centre {c}: |a·x0 + b·y0 + c| / √(a² + b²) = {work} = {value}."
        ),
        "distance.verdict": "The radius is {r} and {dist} {compare} {r}, {verdict}.",
        "<": "so the line crosses the circle",
        "=": "so the line is tangent to the circle",
        ">": "so the line misses the circle",
        "distance.question": "the distance from the centre of circle {cn} to line {ln}",
        "inside": "inside",
        "outside": "outside",
        "member.circle": (
            "Circle {n}: ({x} − {cx})² + ({y} − {cy})² = {s} {compare} r² = {r2}, so it is {where}."
        ),
        "member.ellipse": (
            "Ellipse {n}: ({x} − {cx})²/{a2} + ({y} − {cy})²/{b2} = {s} {compare} 1, so it is "
            "{where}."
        ),
        "member.rect": (
            "{Kind} {n} covers x from {x0} to {x1} and y from {y0} to {y1}, so it is {where}."
        ),
        "member.polygon": (
            "{Kind} {n}: the edge cross products, counterclockwise, are {crosses}; {sign}, so it "
            "is {where}."
        ),
        "all positive": "all positive",
        "one is negative": "one is negative",
        "contains.question": "which figure contains the point ({x}, {y})",
        "contains.asked": "Which figure contains the point ({x}, {y})?",
        "contains.so": "So the point ({x}, {y}) lies in {{answer}}.",
        "range": "{axis} from {lo} to {hi}",
        "position.ranges": "{Kind} {an} covers {ra}; {bkind} {bn} covers {rb}.",
        "position.since": "Since {edge}, {an} lies wholly {where} {bn}.",
        "position.question": "where {kind} {an} lies relative to {bkind} {bn}",
        "position.asked": "Where does {kind} {an} lie relative to {bkind} {bn}?",
        "position.so": "So {kind} {an} lies {{answer}}.",
    },
    "zh": {
        "area.rect": "{Kind}{n}的宽为{w}，高为{h}，所以面积 = {w} × {h} = {value}。",
        "area.triangle": (
            "三角形的三个顶点为{v1}、{v2}、{v3}，由鞋带公式，面积 = |(x2 − x1)(y3 − y1) − "
            "(x3 − x1)(y2 − y1)| / 2 = |{cross}| / 2 = {value}。"
        ),
        "area.polygon": (
            "按顺序取各顶点，由鞋带公式，面积 = |Σ (x_i·y_(i+1) − x_(i+1)·y_i)| / 2 = "
            "|{terms}| / 2 = {value}。"
        ),
        "area.circle": "圆{n}的半径为{r}，所以面积 = πr² = π·{r}² = {value}。",
        "area.ellipse": "椭圆{n}的两条半轴长为{a}和{b}，所以面积 = πab = π·{a}·{b} = {value}。",
        "area.question": "{kind}{n}的面积",
        "perimeter.rect": "周长 = 2 × (宽 + 高) = 2 × ({w} + {h}) = {value}。",
        "perimeter.sides": "由两点间的距离公式，各边长分别为{sides}。",
        "perimeter.sum": "周长 = {terms} = {value}。",
        "perimeter.circle": "周长 = 2πr = 2π·{r} = {value}。",
        "perimeter.question": "{kind}{n}的周长",
        "perimeter.circle_question": "圆{n}的周长",  # 周长 is also a circle's word
        "list": "、",
        "length.step": (
            "由两点间的距离公式，√((x2 − x1)² + (y2 − y1)²) = √(({dx})² + ({dy})²) = {value}。"
        ),
        "length.question": "线段{n}的长",
        "slope.step": "斜率 = (y2 − y1) / (x2 − x1) = ({dy}) / ({dx}) = {value}。",
        "slope.question": "{kind}{n}的斜率",
        "midpoint.step": (
            "由中点坐标公式，中点 = ((x1 + x2)/2, (y1 + y2)/2) = (({x1} + {x2})/2, "
            "({y1} + {y2})/2) = {label}。"
        ),
        "midpoint.question": "线段{n}的中点坐标",
        "line.vertical": "两点的横坐标都是x = {x1}，所以这条直线与x轴垂直，方程为{label}。",
        "line.slope": "斜率m = ({y2} − {y1}) / ({x2} − {x1}) = {m}。",
        "line.intercept": "截距b = y1 − m·x1 = {y1} − {m}·{x1} = {b}。",
        "equation.is": "于是方程为{label}。",
        "equation.question": "{kind}{n}的方程",
        "circle.rule": (
            "圆心为(a, b)、半径为r的圆的方程是(x − a)² + (y − b)² = r²；这里圆心为{c}，"
            "r = {r}，所以r² = {r2}。"
        ),
        "parallel": "平行",
        "perpendicular": "垂直",
        "through.axis": "与直线{n}{relation}的直线是{way}",
        "vertical": "竖直的",
        "horizontal": "水平的",
        "through.slope": "直线{n}的斜率m = {m}；与它{relation}的直线{slope}",
        "through.same": "斜率也是{m}",
        "through.normal": "斜率为−1/m = {m}",
        "through.point": "{rule}，且经过点{p}。",
        "through.question": "经过点{p}且与直线{n}{relation}的直线的方程",
        "parabola.form": "设抛物线的顶点式为y = a(x − h)² + k，顶点为{v}，则y = a{square}{k}。",
        "parabola.a": "抛物线经过顶点右侧一个单位处的点{p}，所以a·1² = {y} − {k} = {a}。",
        "ellipse.rule": (
            "中心为(h, k)、水平半轴长为a、竖直半轴长为b的椭圆的方程是(x − h)²/a² + "
            "(y − k)²/b² = 1；这里中心为{c}，a = {a}，b = {b}，所以a² = {a2}，b² = {b2}。"
        ),
        "so": "所以{question}为{{answer}}。",
        "meet.equations": "直线{ln}的方程为{leq}，圆{cn}的方程为{ceq}。",
        "meet.vertical": "把x = {x}代入圆的方程：{square} = {r2} − ({x} − {cx})² = {rest}。",
        "meet.substitute": "把y = {y}代入圆的方程，去分母得{equation}。",
        "meet.discriminant": "判别式Δ = {qb}² − 4·{qa}·{qc} = {value}。",
        "meet.with": "，y = ",
        "meet.none": "这个值小于0，所以直线与圆没有公共点。",
        "meet.one": "这个值等于0，所以直线与圆相切，切点为{label}。",
        "meet.two": "这个值大于0，由{solve}得两个交点{label}。",
        "meet.question": "直线{ln}与圆{cn}的交点坐标",
        "meet.asked": "直线{ln}与圆{cn}的交点坐标是什么？",
        "meet.so": "所以直线{ln}与圆{cn}的交点为：{{answer}}。",
        "distance.general": "直线{n}的一般式方程为{equation}。",
        "distance.formula": (
            "由点到直线的距离公式，圆心{c}到直线的距离为|a·x0 + b·y0 + c| / √(a² + b²) = "
            "{work} = {value}。"
        ),
        "distance.verdict": "半径为{r}，而{dist} {compare} {r}，{verdict}。",
        "<": "所以直线与圆相交",
        "=": "所以直线与圆相切",
        ">": "所以直线与圆相离",
        "distance.question": "圆{cn}的圆心到直线{ln}的距离",
        "inside": "内",
        "outside": "外",
        "member.circle": (
            "圆{n}：({x} − {cx})² + ({y} − {cy})² = {s} {compare} r² = {r2}，所以该点在圆{n}"
            "{where}。"
        ),
        "member.ellipse": (
            "椭圆{n}：({x} − {cx})²/{a2} + ({y} − {cy})²/{b2} = {s} {compare} 1，所以该点在"
            "椭圆{n}{where}。"
        ),
        "member.rect": (
            "{Kind}{n}的x范围是{x0}到{x1}，y范围是{y0}到{y1}，所以该点在{Kind}{n}{where}。"
        ),
        "member.polygon": (
            "{Kind}{n}：按逆时针方向，各边与该点的叉积为{crosses}；{sign}，所以该点在"
            "{Kind}{n}{where}。"
        ),
        "all positive": "全部为正",
        "one is negative": "有一个为负",
        "contains.question": "点({x}, {y})所在的图形",
        "contains.asked": "点({x}, {y})在哪个图形内？",
        "contains.so": "所以点({x}, {y}){{answer}}。",
        "range": "{axis}的范围是{lo}到{hi}",
        "position.ranges": "{Kind}{an}中{ra}；{bkind}{bn}中{rb}。",
        "position.since": "因为{edge}，所以{Kind}{an}完全位于{bkind}{bn}的{where}。",
        "position.question": "{kind}{an}相对于{bkind}{bn}的位置",
        "position.asked": "{kind}{an}在{bkind}{bn}的什么位置？",
        "position.so": "所以{kind}{an}{{answer}}。",
    },
}

#: The ways an English caption says how one figure sits relative to another (the
#: relation's own words first); "touches" and "holds" open sentences of their own
#: ("... touches ... at exactly one point", "... holds ... inside it").
RELATION_WORDS = {
    "is tangent to": ("is tangent to", "just touches", "touches", "grazes"),
    "crosses": ("crosses", "intersects", "meets", "shares points with"),
    "contains": ("contains", "encloses", "holds", "surrounds"),
    "lies inside": ("lies inside", "lies within", "sits entirely within", "is enclosed by"),
    "is to the left of": (
        "is to the left of",
        "lies wholly left of",
        "sits entirely to the left of",
        "is positioned to the left of",
    ),
    "is to the right of": (
        "is to the right of",
        "lies wholly right of",
        "sits entirely to the right of",
        "is placed to the right of",
    ),
    "is above": (
        "is above",
        "lies wholly above",
        "sits entirely higher than",
        "is located above",
        "rests wholly above",
    ),
    "is below": ("is below", "lies wholly below", "sits entirely lower than", "is situated below"),
    "does not touch": (
        "does not touch",
        "stays clear of",
        "is disjoint from",
        "never meets",
        "remains separate from",
    ),
}

#: A figure kind's noun in Chinese.
KINDS_ZH = {
    "circle": "圆",
    "ellipse": "椭圆",
    "rectangle": "矩形",
    "square": "正方形",
    "triangle": "三角形",
    "polygon": "多边形",
    "parabola": "抛物线",
    "line": "直线",
    "segment": "线段",
    "point": "点",
}

#: Where one figure lies relative to another, in Chinese.
DIRECTIONS_ZH = {
    "to the left of": "左侧",
    "to the right of": "右侧",
    "above": "上方",
    "below": "下方",
}

NO_INTERSECTION = {"en": "no intersection", "zh": "没有交点"}
NO_FIGURE = {"en": "none of the figures", "zh": "不在任何图形内"}
AND = {"en": " and ", "zh": "和"}


def kinds(kind: str, language: str) -> dict[str, str]:
    """``Kind`` and ``kind`` of a figure kind, for a format string."""
    if language == "en":
        return {"Kind": kind.capitalize(), "kind": kind}
    return {"Kind": KINDS_ZH[kind], "kind": KINDS_ZH[kind]}


def figure_name(kind: str, name: str, language: str) -> str:
    """A figure as the text names it: 'circle A', '圆A'."""
    return f"{kind} {name}" if language == "en" else f"{KINDS_ZH[kind]}{name}"


def in_figure(kind: str, name: str, language: str) -> str:
    """A containment answer: 'circle A' ('在圆A内': the Chinese answer is a predicate)."""
    return f"{kind} {name}" if language == "en" else f"在{KINDS_ZH[kind]}{name}内"


def in_both(first: tuple[str, str], second: tuple[str, str], language: str) -> str:
    """The (always wrong) containment answer 'both circle A and square B'."""
    if language == "en":
        return f"both {first[0]} {first[1]} and {second[0]} {second[1]}"
    return f"同时在{KINDS_ZH[first[0]]}{first[1]}和{KINDS_ZH[second[0]]}{second[1]}内"


def where_answer(direction: str, kind: str, name: str, language: str) -> str:
    """A position answer: 'to the left of circle A', '在圆A的左侧'."""
    if language == "en":
        return f"{direction} {kind} {name}"
    return f"在{KINDS_ZH[kind]}{name}的{DIRECTIONS_ZH[direction]}"
