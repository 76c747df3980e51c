namespace Pretzel.Core.Storage;

/// <summary>
/// A store whose engine can compute an analysis in its own SQL, so that only the analysis's counts travel instead
/// of every event's columns (ClickHouse on a cluster). An analysis with a SQL form for the options asked sends it
/// through <see cref="IEventStore.QueryAsync(string, CancellationToken)"/> when <see cref="PushesDown"/> is true, and
/// runs its kernel over <see cref="IEventStore.ReadEventColumnsAsync"/> otherwise; both must answer alike.
/// </summary>
public interface IPushDownStore
{
    /// <summary>Whether analyses should send their SQL form to this store now.</summary>
    bool PushesDown { get; }
}
