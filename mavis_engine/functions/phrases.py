"""Function-problem wording per language: each question, rationale sentence and
categorical answer as a format string, filled with the same values in every language."""

from __future__ import annotations

#: Questions (noun phrases a template asks for) and rationale sentences.
PHRASES = {
    "en": {
        "value_at.question": "the value of f(x) at x = {x0}",
        "value_at.step": "Substitute x = {x0} into f(x) = {expr}: f({x0}) = {filled} = {value}.",
        "derivative_at.question": "the derivative of f(x) at x = {x0}",
        "differentiate": "Differentiate: f'(x) = {d}.",
        "derivative_at.step": "At x = {x0}: f'({x0}) = {filled} = {value}.",
        "extremum.question": "the {word} value of f(x) on the interval {interval}",
        "extremum.compare": (
            "Compare f at the critical points inside [{lo}, {hi}] and at its ends; the {word} "
            "is at x = {where}."
        ),
        "extremum.value": "f({where}) = {value}.",
        "maximum": "maximum",
        "minimum": "minimum",
        "tangent.question": "the y-intercept of the tangent line to the graph at x = {x0}",
        "tangent.slope": "f({x0}) = {value} and f'(x) = {d}, so the slope at x = {x0} is {slope}.",
        "tangent.line": (
            "The tangent line is y = f({x0}) + f'({x0})·(x - {x0}); at x = 0 it gives y = {value}."
        ),
        "sign.question": "the sign of f'(x) at x = {x0}",
        "sign.step": "This is {label}.",
        "compare.question": "which is larger, f({a}) or f({b})",
        "compare.value": "f({a}) = {filled} = {value}.",
        "compare.larger": "Comparing them, the larger is {label}.",
        "compare.equal": "Comparing them, the larger is {label}.",
        "compare.so": "So the larger value is {label}.",
        "compare.so_undecided": "So the larger value is {label}.",
        "increasing.question": "the interval on which f(x) increases",
        "increasing.sign": (
            "f' can change sign only where it is zero, at a corner or at a pole; on {label} it "
            "keeps one sign, and f'({mid}) = {value} > 0."
        ),
        "increasing.hence": "Hence f increases exactly on {label}.",
        "integral.question": "the integral of f(x) from x = {a} to x = {b}",
        "integral.antiderivative": "An antiderivative of f is F(x) = {big_f}.",
        "integral.step": "∫ from {a} to {b} of f(x) dx = F({b}) - F({a}) = {value}.",
        "period.question": "the period of f(x)",
        "period.rule": (
            "For a {family} of the form a·{fn}(bx + c) + d the period is {rule}; here b = {b}."
        ),
        "period.step": "The period is {value}.",
        "zero.question": "the zero of f(x) on the interval {interval}",
        "zero.solve": "Solve f(x) = 0 on {interval}: {expr} = 0.",
        "zero.step": "The only solution in the interval is x = {value} (check: f({x}) = 0).",
        "premise.point": "The graph passes through ({px}, {py}): {lhs} = {py}.",
        "premise.solved": "Solving gives {listed}, so f(x) = {expr}.",
        "and": " and ",
        "so": "So {question} is {shown}.",
    },
    "zh": {
        "value_at.question": "f(x)在x = {x0}处的函数值",
        "value_at.step": "把x = {x0}代入f(x) = {expr}，得f({x0}) = {filled} = {value}。",
        "derivative_at.question": "f(x)在x = {x0}处的导数",
        "differentiate": "求导，得f'(x) = {d}。",
        "derivative_at.step": "当x = {x0}时，f'({x0}) = {filled} = {value}。",
        "extremum.question": "f(x)在区间{interval}上的{word}",
        "extremum.compare": (
            "比较f(x)在区间[{lo}, {hi}]内各临界点处和区间端点处的函数值，可知{word}在"
            "x = {where}处取得。"
        ),
        "extremum.value": "f({where}) = {value}。",
        "maximum": "最大值",
        "minimum": "最小值",
        "tangent.question": "函数图象在x = {x0}处的切线在y轴上的截距",
        "tangent.slope": "f({x0}) = {value}，f'(x) = {d}，所以在x = {x0}处切线的斜率为{slope}。",
        "tangent.line": "切线方程为y = f({x0}) + f'({x0})·(x - {x0})，令x = 0，得y = {value}。",
        "sign.question": "f'(x)在x = {x0}处的符号",
        "sign.step": "所以f'({x0})的符号为{label}。",
        "compare.question": "f({a})与f({b})中较大的一个",
        "compare.value": "f({a}) = {filled} = {value}。",
        "compare.larger": "两者比较，{label}较大。",
        "compare.equal": "比较可知，{label}。",
        "compare.so": "所以较大的是{label}。",
        "compare.so_undecided": "所以{label}。",
        "increasing.question": "f(x)的单调递增区间",
        "increasing.sign": (
            "f'(x)只可能在它的零点、尖点或间断点处改变符号；在{label}上f'(x)保持同一符号，"
            "且f'({mid}) = {value} > 0。"
        ),
        "increasing.hence": "因此f(x)恰在{label}上单调递增。",
        "integral.question": "f(x)从x = {a}到x = {b}的定积分",
        "integral.antiderivative": "f(x)的一个原函数为F(x) = {big_f}。",
        "integral.step": (
            "由牛顿—莱布尼茨公式，f(x)从{a}到{b}的定积分 = F({b}) - F({a}) = {value}。"
        ),
        "period.question": "f(x)的周期",
        "period.rule": "形如a·{fn}(bx + c) + d的{family}函数，周期T = {rule}；这里b = {b}。",
        "period.step": "代入得T = {value}。",
        "zero.question": "f(x)在区间{interval}上的零点",
        "zero.solve": "在{interval}上解方程f(x) = 0，即{expr} = 0。",
        "zero.step": "区间内唯一的解为x = {value}（检验：f({x}) = 0）。",
        "premise.point": "图象经过点({px}, {py})，所以{lhs} = {py}。",
        "premise.solved": "解得{listed}，所以f(x) = {expr}。",
        "and": "，",
        "so": "所以{question}为{shown}。",
    },
}

#: Categorical answers, worded per language (English: the engine's answer texts).
LABELS = {
    "en": {
        "positive": "positive",
        "negative": "negative",
        "zero": "zero",
        "undefined": "undefined",
        "they are equal": "they are equal",
        "it cannot be determined": "it cannot be determined",
    },
    "zh": {
        "positive": "正",
        "negative": "负",
        "zero": "零",
        "undefined": "不存在",
        "they are equal": "两者相等",
        "it cannot be determined": "无法确定",
    },
}

#: A family as the question names it.
NOUNS = {
    "en": {
        "square_root": "square-root",
        "absolute": "absolute-value",
        "line_plus_reciprocal": "line-plus-reciprocal",
    },
    "zh": {
        "polynomial": "多项式",
        "sine": "正弦型",
        "cosine": "余弦型",
        "tangent": "正切型",
        "logarithm": "对数",
        "absolute": "绝对值",
        "exponential": "指数",
        "rational": "分式",
        "square_root": "根式",
        "piecewise": "分段",
        "line_plus_reciprocal": "“一次函数 + 反比例函数”型",
    },
}


def noun(family: str, language: str) -> str:
    """How a question names a family ('square-root'; '根式')."""
    return NOUNS[language].get(family, family)


def label(name: str, language: str) -> str:
    """A categorical answer ('positive', 'they are equal') in ``language``."""
    return LABELS[language][name]
