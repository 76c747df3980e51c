using System.Text;
using CsCheck;
using Pretzel.Analytics.Attribution;
using Pretzel.Analytics.Paths;
using static Pretzel.Analytics.Tests.Attribution.AttributionReferences;

namespace Pretzel.Analytics.Tests.Attribution;

/// <summary>Properties every model keeps on random path tables, and the report's options and output.</summary>
public sealed class AttributionInvariantTests
{
    private static readonly AttributionOptions AllButTimes = new()
    {
        Models = [.. AttributionModels.All.Where(m => m != AttributionModels.TimeDecay)],
    };

    [Fact]
    public void Every_model_hands_out_exactly_the_total_conversions_and_value()
    {
        Gen.Select(GenTable, Gen.Int[1, 4]).Sample((rows, order) =>
        {
            var table = AttributionTable.FromRows(rows);
            var result = AttributionEngine.Run(table, null, AllButTimes with { MarkovOrder = order });
            foreach (var model in result.GroupBy(r => r.Model))
            {
                var conversions = model.Sum(r => r.Conversions);
                var value = model.Sum(r => r.Value!.Value);
                if (table.TotalConversions > 0)
                {
                    Assert.True(Math.Abs(conversions - table.TotalConversions) <= 1e-9 * table.TotalConversions, $"{model.Key}: {conversions} of {table.TotalConversions}");
                    Assert.Equal(1, model.Sum(r => r.Share!.Value), 9);
                }
                else
                {
                    Assert.Equal(0, conversions);
                    Assert.All(model, r => Assert.Null(r.Share));
                }

                Assert.True(Math.Abs(value - table.TotalValue) <= 1e-9 * Math.Max(1, table.TotalValue), $"{model.Key}: value {value} of {table.TotalValue}");
                Assert.All(model, r => Assert.True(r.Conversions >= 0 && r.Value >= 0));
                Assert.All(model, r => Assert.Equal(model.Key == AttributionModels.Markov, r.RemovalEffect is not null));
            }

            // Every channel with journeys has a row under every model.
            var channels = rows.Where(r => r.Journeys > 0 || r.ConversionValue != 0)
                .SelectMany(r => r.Touches.Count == 0 ? [AttributionModels.NoTouch] : r.Touches).Distinct().Order(StringComparer.Ordinal).ToList();
            Assert.All(result.GroupBy(r => r.Model), g => Assert.Equal(channels, g.Select(r => r.Channel).Order(StringComparer.Ordinal)));
            Assert.Equal(channels.Count == 0 ? [] : AllButTimes.Models, result.Select(r => r.Model).Distinct());
        }, iter: 300);
    }

    [Fact]
    public void Time_decay_hands_out_the_journeys_conversions_and_value()
    {
        var gen = Gen.Select(Gen.Int[0, 4].Array[0, 6], Gen.Bool, Gen.Int[0, 1000], Gen.Long[0, 30L * 86_400_000_000].Array[6])
            .Select((touches, converted, value, offsets) =>
            {
                var times = offsets.Take(touches.Length).Order().ToArray();
                var end = 31L * 86_400_000_000;
                return new PathJourney([.. touches.Select(t => Channels[t])], times, converted || touches.Length == 0, converted ? value : 0, times.FirstOrDefault(end), end);
            }).List[1, 20];
        Gen.Select(gen, Gen.Int[1, 30]).Sample((journeys, halfLifeDays) =>
        {
            var credits = HeuristicAttribution.TimeDecay(journeys, TimeSpan.FromDays(halfLifeDays));
            var converted = journeys.Where(j => j.Converted).ToList();
            Near(converted.Count, credits.Sum(c => c.Conversions), 1e-12, "conversions");
            Near(converted.Sum(j => j.Value), credits.Sum(c => c.Value), 1e-12, "value");

            // Within one journey, a later touch never gets less than an earlier one of another channel.
            foreach (var journey in converted.Where(j => j.Touches.Distinct().Count() == j.Touches.Count && j.Touches.Count > 1))
            {
                var single = HeuristicAttribution.TimeDecay([journey], TimeSpan.FromDays(halfLifeDays)).ToDictionary(c => c.Channel, c => c.Conversions);
                for (var i = 1; i < journey.Touches.Count; i++)
                {
                    Assert.True(single[journey.Touches[i]] >= single[journey.Touches[i - 1]]);
                }
            }
        }, iter: 200);
    }

    [Fact]
    public void The_same_input_gives_the_same_rows_whatever_the_row_order()
    {
        Gen.Select(GenTable, Gen.Int[1, 3], Gen.Int).Sample((rows, order, seed) =>
        {
            var options = AllButTimes with { MarkovOrder = order };
            var report = new AttributionReport { MarkovOrder = order };
            var first = report.Run(AttributionTable.FromRows(rows));
            var again = report.Run(AttributionTable.FromRows(rows));
            Assert.Equal(Flatten(first.Rows), Flatten(again.Rows));
            var shuffled = rows.OrderBy(_ => new Random(seed).Next()).ToList();
            Assert.Equal(Flatten(first.Rows), Flatten(report.Run(AttributionTable.FromRows(shuffled)).Rows));
            Assert.Equal(AttributionEngine.Run(AttributionTable.FromRows(rows), null, options), AttributionEngine.Run(AttributionTable.FromRows(rows), null, options));
        }, iter: 200);
    }

    [Fact]
    public void A_path_table_file_gives_the_same_rows_as_the_table_it_was_written_from()
    {
        Gen.Select(GenTable, Gen.Int[1, 3]).Sample((rows, order) =>
        {
            using var writer = new StringWriter();
            PathTableFile.Write(writer, rows);
            var read = AttributionPathFile.Read(new MemoryStream(Encoding.UTF8.GetBytes(writer.ToString())), "paths.csv");
            var report = new AttributionReport { MarkovOrder = order };
            Assert.Equal(Flatten(report.Run(AttributionTable.FromRows(rows)).Rows), Flatten(report.Run(read.Table).Rows));
        }, iter: 100);
    }

    [Fact]
    public void Rows_are_ordered_by_model_then_conversions_then_channel()
    {
        var table = AttributionTable.FromRows(
        [
            new PathRow(["b", "a"], 2, 20, 1), new PathRow(["c"], 2, 10, 0), new PathRow(["a"], 1, 5, 3), new PathRow(["d", "c"], 0, 0, 4),
        ]);
        var rows = AttributionEngine.Run(table, null, AllButTimes);
        Assert.Equal(AllButTimes.Models, rows.Select(r => r.Model).Distinct());
        foreach (var model in rows.GroupBy(r => r.Model))
        {
            var list = model.ToList();
            Assert.Equal(list.OrderByDescending(r => Math.Round(r.Conversions, 6)).ThenBy(r => r.Channel, StringComparer.Ordinal), list);
        }

        // first_touch: b 2, c 2, a 1, d 0 (ties by name).
        Assert.Equal(["b", "c", "a", "d"], rows.Where(r => r.Model == AttributionModels.FirstTouch).Select(r => r.Channel));
        Assert.Equal(AttributionRow.Columns.Count, rows[0].Values().Length);
    }

    [Fact]
    public void Compare_pivots_the_models_side_by_side()
    {
        var table = AttributionTable.FromRows([new PathRow(["b", "a"], 2, 20, 1), new PathRow(["c"], 1, 10, 0)]);
        var report = new AttributionReport { Models = "last_touch,first_touch", Compare = true };
        var pivot = report.Run(table);
        Assert.Equal(["channel", "first_touch_conversions", "last_touch_conversions"], pivot.Columns);
        Assert.Equal([["b", 2.0, 0.0], ["c", 1.0, 1.0], ["a", 0.0, 2.0]], pivot.Rows.Select(r => r.ToArray()));
    }

    [Theory]
    [InlineData("first_touch,fame", "--models fame")]
    [InlineData("time_decay", "--models time_decay: needs the time of every touch")]
    public void Models_are_checked_against_what_the_input_allows(string models, string message)
    {
        var table = AttributionTable.FromRows([new PathRow(["a"], 1, 1, 0)]);
        var ex = Assert.Throws<PathException>(() => new AttributionReport { Models = models }.Run(table));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_models_are_all_the_input_allows_and_options_are_checked()
    {
        Assert.Equal(AttributionModels.All, new AttributionReport().Options(withTimes: true).Models);
        Assert.DoesNotContain(AttributionModels.TimeDecay, new AttributionReport().Options(withTimes: false).Models);
        Assert.Equal([AttributionModels.Linear, AttributionModels.Markov], new AttributionReport { Models = "markov, linear,markov" }.Options(false).Models);
        Assert.Contains("--markov-order 5", Assert.Throws<PathException>(() => new AttributionReport { MarkovOrder = 5 }.Options(false)).Message, StringComparison.Ordinal);
        Assert.Contains("--half-life soon", Assert.Throws<PathException>(() => new AttributionReport { HalfLife = "soon" }.Options(true)).Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromHours(12), new AttributionReport { HalfLife = "12h" }.Options(true).HalfLife);
        Assert.Equal(new PositionWeights(30, 40, 30), new AttributionReport { PositionWeights = "30,40,30" }.Options(true).PositionWeights);
        Assert.Contains("--lookback", Assert.Throws<PathException>(() => new AttributionReport { Paths = new PathArguments { Lookback = "x" } }.Check(DateTime.UtcNow)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_without_values_leaves_the_value_column_empty()
    {
        var read = AttributionPathFile.Read(new MemoryStream("path,total_conversions,total_null\na>b,2,1\nb,1,1\n"u8.ToArray()), "x.csv");
        var rows = AttributionEngine.Run(read.Table, null, AllButTimes);
        Assert.All(rows, r => Assert.Null(r.Value));
        Assert.All(rows.GroupBy(r => r.Model), g => Assert.Equal(3, g.Sum(r => r.Conversions), 9));
    }

    private static List<string> Flatten(IEnumerable<object?[]> rows) => [.. rows.Select(r => string.Join("|", r.Select(v => v?.ToString() ?? "")))];
}
