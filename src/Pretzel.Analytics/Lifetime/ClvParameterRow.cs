namespace Pretzel.Analytics.Lifetime;

/// <summary>
/// A fitted parameter (or the log-likelihood, parameter <c>log_likelihood</c>) of a lifetime model: <c>bgnbd</c>
/// (<c>r</c>, <c>alpha</c>, <c>a</c>, <c>b</c>) or <c>gamma_gamma</c> (<c>p</c>, <c>q</c>, <c>gamma</c>), as <c>pretzel clv --params</c> prints them.
/// </summary>
public sealed record ClvParameterRow(string Model, string Parameter, double Value)
{
    public static IReadOnlyList<string> Columns { get; } = ["model", "parameter", "value"];

    public object?[] Values() => [Model, Parameter, Math.Round(Value, 6)];
}
