namespace Pretzel.Ingest.Demo;

/// <summary>The raw marketing fields one event carries (all null: no touch information at all).</summary>
internal readonly record struct DemoTouch(
    string? Channel = null,
    string? Source = null,
    string? Medium = null,
    string? Campaign = null,
    string? Content = null,
    string? Term = null,
    string? Referrer = null);
