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
    /// Builds (does not start) the node. Its stores open when the container first needs them (at start)
    /// and close when the application is disposed.
    /// </summary>
    public static Task<WebApplication> BuildAsync(NodeOptions options, Action<ILoggingBuilder>? logging = null,
        Action<IServiceCollection>? configureServices = null, CancellationToken ct = default)
    {
        DataDirFormat.Prepare(options.DataDir, Membership.NodeSelf.Version);
        ct.ThrowIfCancellationRequested();

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://{UrlHost(options.BindHost)}:{options.Port}");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.Config.MaxRequestBodyBytes);
        builder.Logging.AddNodeConsole(options.Logging);
        logging?.Invoke(builder.Logging);
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
