using RingRift.P2P.Coordination;
using RingRift.P2P.Election;
using RingRift.P2P.Membership;
using RingRift.P2P.Node.Api;
using RingRift.P2P.Node.Coordination;
using RingRift.P2P.Node.Election;
using RingRift.P2P.Node.Membership;
using RingRift.P2P.Node.PeerHttp;
using RingRift.P2P.Node.Resources;
using RingRift.P2P.Resources;
using RingRift.P2P.Sqlite;

namespace RingRift.P2P.Node.Hosting;

/// <summary>The node's wiring, one area per method.</summary>
public static class NodeServices
{
    public static IServiceCollection AddNodeCore(this IServiceCollection services, NodeOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new ClusterToken(options.Config.AuthToken));
        services.AddSingleton<NodeSelf>();
        services.AddSingleton(sp => new ResourceSampler(options.DataDir, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<ResourceSampler>()));
        services.AddHostedService<ResourceLoop>();
        services.AddSingleton(_ => new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(2),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        }) { Timeout = Timeout.InfiniteTimeSpan });
        services.AddSingleton<PeerClient>();
        services.AddSingleton<StatusBuilder>();
        return services;
    }

    public static IServiceCollection AddMembership(this IServiceCollection services, NodeOptions options)
    {
        services.AddSingleton(sp => new PeerTable(options.NodeId, options.Config.PeerTimeout, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IMembershipView>(sp => sp.GetRequiredService<PeerTable>());
        services.AddSingleton(sp => new PeerStore(Path.Combine(options.DataDir, "peers.json"), sp.GetRequiredService<ILogger<PeerStore>>()));
        services.AddSingleton<VoterSetProvider>();
        services.AddSingleton<HeartbeatService>();
        services.AddHostedService(sp => sp.GetRequiredService<HeartbeatService>());
        return services;
    }

    public static IServiceCollection AddConsensus(this IServiceCollection services, NodeOptions options)
    {
        var lease = options.Config.LeaderLeaseDuration;
        var electionOptions = new BullyOptions { LeaseDuration = lease, SelfAddress = options.AdvertiseAddress is { } a ? $"{a}:{options.Port}" : null }.Validate();
        services.AddSingleton(electionOptions);
        services.AddSingleton(sp => new LeaseVoter(options.NodeId, lease, sp.GetRequiredService<TimeProvider>(),
            new FileLeaseStateStore(Path.Combine(options.DataDir, "voter_state.json"))));
        services.AddSingleton<IElectionTransport>(sp => new HttpElectionTransport(
            sp.GetRequiredService<PeerTable>(), sp.GetRequiredService<PeerClient>(), () => electionOptions.RequestTimeout));
        services.AddSingleton(sp => new BullyElection(
            options.NodeId, electionOptions, sp.GetRequiredService<IMembershipView>(),
            sp.GetRequiredService<VoterSetProvider>().Current, sp.GetRequiredService<IElectionTransport>(),
            sp.GetRequiredService<LeaseVoter>(), sp.GetRequiredService<TimeProvider>(), new Random(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<BullyElection>()));
        services.AddHostedService<ElectionLoop>();
        return services;
    }

    public static IServiceCollection AddWorkQueue(this IServiceCollection services, NodeOptions options, SqliteWorkQueue store)
    {
        services.AddSingleton(store);
        services.AddSingleton(sp => new WorkReplica(options.NodeId, store, new ReplicaFence(Path.Combine(options.DataDir, "replica_fence"))));
        services.AddSingleton<IReplicaTransport>(sp => new HttpReplicaTransport(
            sp.GetRequiredService<PeerTable>(), sp.GetRequiredService<PeerClient>(), ReplicationTimeout(options)));
        services.AddSingleton(sp => new QuorumWorkQueue(options.NodeId, sp.GetRequiredService<WorkReplica>(),
            sp.GetRequiredService<IReplicaTransport>(), sp.GetRequiredService<VoterSetProvider>().Current,
            ReplicationTimeout(options), sp.GetRequiredService<ILoggerFactory>().CreateLogger<QuorumWorkQueue>()));
        services.AddSingleton<QueueStatsCache>();
        services.AddHostedService<QueueMaintenanceLoop>();
        services.AddSingleton<WorkForwarder>();
        return services;
    }

    /// <summary>How long a replication push may take: 2 s, or less with short leases.</summary>
    private static TimeSpan ReplicationTimeout(NodeOptions options) =>
        TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(2).Ticks, options.Config.LeaderLeaseDuration.Ticks / 4));
}
