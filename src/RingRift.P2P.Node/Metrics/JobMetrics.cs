using System.Diagnostics.Metrics;
using RingRift.P2P.Models;
using RingRift.P2P.Node.Jobs;
using RingRift.P2P.Node.Membership;
using RingRift.P2P.Node.Sync;
using RingRift.P2P.Notifications;

namespace RingRift.P2P.Node.Metrics;

/// <summary>
/// Meter <c>RingRift.P2P.Jobs</c>: this node's job runner (running jobs by type, the runner's started / completed /
/// failed / timed-out / cancelled counters, job duration), its data sync (bytes and files pulled, pulls failed,
/// bytes served) and its webhook deliveries (sent, failed, dropped). Counters are read from the same totals
/// <c>/status</c> shows; the duration histogram is fed by the runner as each job ends.
/// </summary>
public sealed class JobMetrics
{
    public const string MeterName = "RingRift.P2P.Jobs";

    private readonly Histogram<double> _duration;

    public JobMetrics(IMeterFactory meters, NodeSelf self, DataSync sync, ClusterEvents events)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("ringrift_p2p_jobs_running", () => Running(self), description: "Jobs running on this node, by work type (every type its jobs file runs)");
        Runner(meter, self, "ringrift_p2p_jobs_started", "Jobs this node's runner started", c => c.Started);
        Runner(meter, self, "ringrift_p2p_jobs_completed", "Jobs that completed", c => c.Completed);
        Runner(meter, self, "ringrift_p2p_jobs_failed", "Jobs that failed (timed-out ones included)", c => c.Failed);
        Runner(meter, self, "ringrift_p2p_jobs_timed_out", "Jobs stopped for running past their timeout", c => c.TimedOut);
        Runner(meter, self, "ringrift_p2p_jobs_cancelled", "Jobs stopped because their work was cancelled or taken away", c => c.Cancelled);
        _duration = meter.CreateHistogram("ringrift_p2p_job_duration", unit: "s", description: "How long each job ran, by work type and outcome",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400, 43200] });

        meter.CreateObservableCounter("ringrift_p2p_sync_pulled", () => sync.Status.BytesPulled, unit: "By", description: "Bytes pulled from peers");
        meter.CreateObservableCounter("ringrift_p2p_sync_files_pulled", () => sync.Status.FilesPulled, description: "Files pulled and verified");
        meter.CreateObservableCounter("ringrift_p2p_sync_pulls_failed", () => sync.Status.PullsFailed, description: "Pulls that failed");
        meter.CreateObservableCounter("ringrift_p2p_sync_served", () => sync.Status.BytesServed, unit: "By", description: "Bytes this node served to peers");

        meter.CreateObservableCounter("ringrift_p2p_webhooks_sent", () => events.Counters.Delivered, description: "Webhook deliveries answered 2xx");
        meter.CreateObservableCounter("ringrift_p2p_webhooks_failed", () => events.Counters.Failed, description: "Webhook deliveries that failed after every retry");
        meter.CreateObservableCounter("ringrift_p2p_webhooks_dropped", () => events.Counters.Dropped, description: "Events dropped unsent (buffer full)");
    }

    /// <summary>A job ended (see <see cref="JobRunner.Finished"/>).</summary>
    public void Finished(JobType type, TimeSpan ran, string outcome) =>
        _duration.Record(ran.TotalSeconds, new KeyValuePair<string, object?>("work_type", type.Name), new KeyValuePair<string, object?>("outcome", outcome));

    private static void Runner(Meter meter, NodeSelf self, string name, string description, Func<JobCounters, long> read) =>
        meter.CreateObservableCounter<long>(name, () => self.Runner is { } runner ? [new Measurement<long>(read(runner.Snapshot().Counters))] : [], description: description);

    private static IEnumerable<Measurement<int>> Running(NodeSelf self)
    {
        if (self.Runner is not { } runner) yield break;
        var snapshot = runner.Snapshot();
        // Every type the runner can run, 0 when none is running, so a board shows 0 rather than nothing.
        foreach (var type in snapshot.Capabilities.Union(snapshot.Running.Select(j => j.WorkType)))
            yield return new Measurement<int>(snapshot.Running.Count(j => j.WorkType == type), new KeyValuePair<string, object?>("work_type", type.Name));
    }
}
