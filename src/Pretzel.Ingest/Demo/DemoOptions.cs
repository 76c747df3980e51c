namespace Pretzel.Ingest.Demo;

/// <summary>
/// What <see cref="DemoGenerator"/> generates. The same options always give exactly the same events.
/// Bounds are checked by <see cref="Validate"/> (and by the generator's constructor); each error names
/// the command-line option of <c>pretzel demo</c> it comes from.
/// </summary>
public sealed record DemoOptions
{
    /// <summary>Smallest accepted <see cref="People"/>.</summary>
    public const int MinPeople = 1;

    /// <summary>Largest accepted <see cref="People"/>.</summary>
    public const int MaxPeople = 10_000_000;

    /// <summary>Smallest accepted <see cref="Days"/>.</summary>
    public const int MinDays = 30;

    /// <summary>Largest accepted <see cref="Days"/> (ten years).</summary>
    public const int MaxDays = 3650;

    /// <summary>
    /// Number of people (distinct persons, including the friends that customers refer), 1 to 10,000,000.
    /// Default 20,000 (about 300,000 events).
    /// </summary>
    public int People { get; init; } = 20_000;

    /// <summary>Seed of every random choice; any value. Default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// First instant of the data, UTC (a value of kind <see cref="DateTimeKind.Unspecified"/> is read as UTC;
    /// <see cref="DateTimeKind.Local"/> is refused). Default 2025-01-01T00:00:00Z.
    /// </summary>
    public DateTime Start { get; init; } = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Length of the data in days, 30 to 3650: every timestamp is in [Start, Start + Days). Default 365.</summary>
    public int Days { get; init; } = 365;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the option (<c>--people</c>, <c>--days</c>, <c>--start</c>) that is out of bounds.</summary>
    public void Validate()
    {
        if (People is < MinPeople or > MaxPeople)
        {
            throw new ArgumentOutOfRangeException("--people", People, $"--people must be between {MinPeople} and {MaxPeople:N0}; got {People}.");
        }

        if (Days is < MinDays or > MaxDays)
        {
            throw new ArgumentOutOfRangeException("--days", Days, $"--days must be between {MinDays} and {MaxDays}; got {Days}.");
        }

        if (Start.Kind == DateTimeKind.Local)
        {
            throw new ArgumentOutOfRangeException("--start", Start, "--start must be a UTC time, not a local one.");
        }

        if (Start > DateTime.MaxValue.AddDays(-Days - 1))
        {
            throw new ArgumentOutOfRangeException("--start", Start, $"--start plus {Days} days is past the last representable date.");
        }
    }
}
