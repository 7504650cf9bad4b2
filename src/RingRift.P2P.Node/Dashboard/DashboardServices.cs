using RingRift.P2P.Loops;
using RingRift.P2P.Node.Cluster;
using RingRift.P2P.Node.WorkQueue;

namespace RingRift.P2P.Node.Dashboard;

/// <summary>
/// Dashboard/ holds what the operator's page needs besides the routes: the page's files, the queue
/// history and its sampler, the cluster's job listing and the relay to one peer.
/// </summary>
public static class DashboardServices
{
    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services.AddSingleton(_ => new QueueHistory(QueueHistoryLoop.Capacity));
        services.AddSingleton(sp => new QueueHistoryLoop(sp.GetRequiredService<QueueStatsCache>(), sp.GetRequiredService<IClusterWork>().ServingQueue,
            sp.GetRequiredService<QueueHistory>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<LoopRegistry>(),
            sp.GetRequiredService<ILogger<QueueHistoryLoop>>()));
        services.AddHostedService(sp => sp.GetRequiredService<QueueHistoryLoop>());
        services.AddSingleton<PeerRelay>();
        services.AddSingleton<ClusterJobs>();
        return services;
    }
}
