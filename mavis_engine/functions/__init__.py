"""Function plots: parameterised families on axes, analysed exactly."""
