using System.Globalization;
using Pretzel.Core.Events;
using Pretzel.Core.Storage;

namespace Pretzel.Analytics.Journeys;

/// <summary>
/// Reads every person's events from a store, in the order the analyses need (person, time, message id).
/// The same SQL runs on DuckDB and ClickHouse (times as integer microseconds through the dialect), so
/// both stores hand the analyses identical journeys.
/// </summary>
public static class JourneyLoader
{
    /// <summary>
    /// Loads the journeys of every person with events up to <paramref name="to"/> (inclusive; null: all),
    /// with each event's properties when <paramref name="withProperties"/>.
    /// </summary>
    public static async Task<IReadOnlyList<PersonJourney>> LoadAsync(IEventStore store, DateTime? to, CancellationToken cancellationToken = default, bool withProperties = false)
    {
        ArgumentNullException.ThrowIfNull(store);
        var micros = store.Dialect.TimestampMicros;
        // An event with no id at all has no person; it cannot be part of a journey.
        var where = " WHERE person_id IS NOT NULL" + (to is { } end
            ? " AND " + micros + " <= " + EventTime.ToMicros(end).ToString(CultureInfo.InvariantCulture)
            : "");
        var d = store.Dialect;
        var sql = $"SELECT person_id, {micros} AS t, message_id, {d.Text("type")} AS type, {d.Text("event")} AS event, {d.Text("channel")} AS channel, "
            + $"{d.Text("source")} AS source, {d.Text("medium")} AS medium, {d.Text("campaign")} AS campaign, revenue{(withProperties ? ", properties" : "")} FROM person_events{where} ORDER BY person_id, t, message_id";

        var result = await store.QueryAsync(sql, cancellationToken).ConfigureAwait(false);
        // SQL reads the whole store: a view of some people (or from a start time on) keeps its own.
        var view = store as PeopleSubsetStore;
        var journeys = new List<PersonJourney>();
        string? current = null;
        List<JourneyEvent>? events = null;
        foreach (var row in result.Rows)
        {
            var person = (string)row[0]!;
            if (view is not null && !view.Includes(person, Convert.ToInt64(row[1], CultureInfo.InvariantCulture)))
            {
                continue;
            }

            if (person != current)
            {
                if (current is not null)
                {
                    journeys.Add(new PersonJourney(current, events!));
                }

                current = person;
                events = [];
            }

            events!.Add(new JourneyEvent(Convert.ToInt64(row[1], CultureInfo.InvariantCulture), (string)row[2]!, (string)row[3]!,
                Text(row[4]), Text(row[5]), Text(row[6]), Text(row[7]), Text(row[8]), withProperties ? Text(row[10]) : null,
                row[9] is null ? null : Convert.ToDouble(row[9], CultureInfo.InvariantCulture)));
        }

        if (current is not null)
        {
            journeys.Add(new PersonJourney(current, events!));
        }

        return journeys;
    }

    // ClickHouse answers an empty string where DuckDB has NULL for a missing value after toString.
    private static string? Text(object? value) => value is string { Length: > 0 } s ? s : null;
}
