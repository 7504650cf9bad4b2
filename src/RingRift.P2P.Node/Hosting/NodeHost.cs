using RingRift.P2P.Node.Api;
using RingRift.P2P.Node.Dashboard;
using RingRift.P2P.Node.Metrics;
using RingRift.P2P.Node.PeerHttp;
using RingRift.P2P.Node.Sync;

namespace RingRift.P2P.Node.Hosting;

/// <summary>
/// Hosting/ holds how a node is assembled: options, the container wiring, the host.
///Builds a node: Kestrel on the configured address, the services, the routes.
/// </summary>
public static class NodeHost
{
    /// <summary>
    /// How long a graceful stop (SIGTERM, Ctrl-C) may take before the host stops waiting for the services
    /// still stopping: 20 s. The stop leaves and hands over (the SWIM leave, at most 0.8–1.6 s; the Raft
    /// hand-over, at most 5 s; the Bully lease release and resignation, two rounds of node-to-node calls
    /// of at most 2 s; the goodbye heartbeat, 2 s), usually in well under a second. After it the stores
    /// close and the process exits; the systemd unit's <c>TimeoutStopSec</c> (deploy/systemd) allows 10 s
    /// more for that before SIGKILL, and a test keeps the two in step.
    /// </summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(20);

    /// <summary>The host setting that keeps configuration files from being watched for changes.</summary>
    internal const string NoConfigReload = "--hostBuilder:reloadConfigOnChange=false";

    /// <summary>
    /// Builds (does not start) the node. Its stores open when the container first needs them (at start)
    /// and close when the application is disposed.
    /// </summary>
    public static Task<WebApplication> BuildAsync(NodeOptions options, Action<ILoggingBuilder>? logging = null,
        Action<IServiceCollection>? configureServices = null, CancellationToken ct = default)
    {
        DataDirFormat.Prepare(options.DataDir, Membership.NodeSelf.Version);
        DataDirFiles.Check(options.DataDir, options.Config.LeaderLeaseDuration);
        ct.ThrowIfCancellationRequested();

        // appsettings.json is read once: reloading it on change watches the content root (the working directory, the
        // data dir under systemd) and every directory below it, with inotify and a thread of its own (docs/footprint.md).
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [NoConfigReload] });
        builder.WebHost.UseUrls($"http://{UrlHost(options.BindHost)}:{options.Port}");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.Config.MaxRequestBodyBytes);
        builder.Logging.AddNodeConsole(options.Logging);
        logging?.Invoke(builder.Logging);
        // On a stop SWIM leaves first (SwimService.StoppingAsync); then the services stop one after another in
        // reverse order of registration (jobs, dispatch, Raft, the Bully election, heartbeats), each handing over
        // before the next one goes.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        builder.Services.AddNodeCore(options).AddMembership(options).AddConsensus(options).AddWorkQueue(options).AddJobs(options)
            .AddNodeMetrics().AddDashboard();
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        if (options.Config.LoadMaxForNewJobsFromPercent) app.Logger.LoadMaxFromPercent(options.Config.LoadMaxForNewJobs);
        app.UseApiErrors();
        app.UseClusterAuth(app.Services.GetRequiredService<ClusterToken>());
        app.MapStatusApi();
        app.MapSwimApi();
        app.MapRaftApi();
        app.MapClusterApi();
        app.MapWorkApi();
        app.MapTrainingApi();
        app.MapEventsApi();
        app.MapJobsApi();
        app.MapQueueHistoryApi();
        app.MapDashboardApi();
        app.MapMetrics();
        app.MapSyncApi(app.Services.GetRequiredService<DataSync>());
        return Task.FromResult(app);
    }

    private static string UrlHost(string host) => host switch
    {
        "0.0.0.0" or "*" or "+" => "0.0.0.0",
        _ when host.Contains(':') && !host.StartsWith('[') => $"[{host}]",
        _ => host,
    };
}
