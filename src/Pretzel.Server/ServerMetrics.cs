using Prometheus;

namespace Pretzel.Server;

/// <summary>The collector's Prometheus metrics, in a registry of their own per server instance.</summary>
internal sealed class ServerMetrics
{
    public ServerMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        Accepted = factory.CreateCounter("pretzel_events_accepted_total", "Events accepted by the collector (durably in the write-ahead log).", "project");
        Rejected = factory.CreateCounter("pretzel_events_rejected_total", "Events refused by the collector, by error code.", "project", "code");
        Requests = factory.CreateCounter("pretzel_requests_total", "Collector and API requests by endpoint and HTTP status.", "endpoint", "status");
        Stored = factory.CreateCounter("pretzel_events_stored_total", "Events moved from the write-ahead log into the store (new ones).", "project");
        Duplicates = factory.CreateCounter("pretzel_events_duplicate_total", "Events moved into the store that it already held (same message id).", "project");
        StoreFailures = factory.CreateCounter("pretzel_store_failures_total", "Failed moves of the write-ahead log into the store (retried).", "project");
        Backlog = factory.CreateGauge("pretzel_queue_events", "Accepted events waiting in the write-ahead log to be moved into the store.", "project");
        LogSync = factory.CreateHistogram("pretzel_wal_sync_seconds", "Time to write and fsync one group of requests to the write-ahead log.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0001, 2, 16) });
        StoreWrite = factory.CreateHistogram("pretzel_store_write_seconds", "Time to move one write-ahead log segment into the store.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 16) });
        RequestLatency = factory.CreateHistogram("pretzel_request_seconds", "Collector request latency, from arrival to answer.",
            new HistogramConfiguration { LabelNames = ["endpoint"], Buckets = Histogram.ExponentialBuckets(0.0005, 2, 14) });
    }

    internal CollectorRegistry Registry { get; }

    internal Counter Accepted { get; }

    internal Counter Rejected { get; }

    internal Counter Requests { get; }

    internal Counter Stored { get; }

    internal Counter Duplicates { get; }

    internal Counter StoreFailures { get; }

    internal Gauge Backlog { get; }

    internal Histogram LogSync { get; }

    internal Histogram StoreWrite { get; }

    internal Histogram RequestLatency { get; }
}
