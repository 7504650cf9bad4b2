using RingRift.P2P.Jobs;
using RingRift.P2P.Loops;
using RingRift.P2P.Node.Cluster;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Node.Membership;
using RingRift.P2P.Resources;

namespace RingRift.P2P.Node.Jobs;

/// <summary>
/// Starts this node's job runner when a jobs file is configured: GPUs from
/// <c>RINGRIFT_P2P_GPU_COUNT</c> or nvidia-smi, queue calls through the cluster work port (so
/// they reach the leader wherever it is), data pulled before training and evaluation. The runner's
/// capabilities and slots then go into this node's heartbeat summary.
/// </summary>
public sealed class JobsService(
    NodeOptions options,
    NodeSelf self,
    ResourceSampler sampler,
    IClusterWork work,
    JobDataPreparer preparer,
    Metrics.JobMetrics metrics,
    LoopRegistry loops,
    RingRift.P2P.Storage.StorageHealth storage,
    TimeProvider time,
    ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private JobRunner? _runner;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Jobs is not { } jobs) return;
        var gpus = options.JobsSettings.GpuCount ?? (await sampler.SampleAsync(cancellationToken)).GpuCount;
        var runner = new JobRunner(new JobRunnerOptions
        {
            NodeId = options.NodeId,
            DataDir = options.DataDir,
            Jobs = jobs,
            GpuCount = gpus,
            PollInterval = options.JobsSettings.PollInterval,
            PullWork = options.JobsSettings.PullWork,
        }, new ClusterRunnerWorkPort(work), time, loggers.CreateLogger<JobRunner>())
        {
            BeforeStart = preparer.PrepareAsync,
            Storage = storage,
            Finished = metrics.Finished,
            Loop = loops.Register("job_runner", options.JobsSettings.PollInterval),
        };
        await runner.StartAsync(cancellationToken);
        _runner = runner;
        self.AttachRunner(runner);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_runner is { } runner) await runner.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_runner is { } runner) await runner.DisposeAsync();
    }
}
