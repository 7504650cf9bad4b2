using RingRift.P2P.Coordination;
using RingRift.P2P.Election;
using RingRift.P2P.Loops;
using RingRift.P2P.Membership;
using RingRift.P2P.Node.Api;
using RingRift.P2P.Node.Cluster;
using RingRift.P2P.Node.Consensus;
using RingRift.P2P.Node.Jobs;
using RingRift.P2P.Node.Membership;
using RingRift.P2P.Node.PeerHttp;
using RingRift.P2P.Node.Placement;
using RingRift.P2P.Node.Resources;
using RingRift.P2P.Node.Storage;
using RingRift.P2P.Node.Sync;
using RingRift.P2P.Node.Training;
using RingRift.P2P.Node.WorkQueue;
using RingRift.P2P.Notifications;
using RingRift.P2P.Resources;
using RingRift.P2P.Scheduling;
using RingRift.P2P.Sqlite;
using RingRift.P2P.Storage;
using RingRift.P2P.Swim;
using RingRift.P2P.Swim.Wire;
using RingRift.P2P.Training;

namespace RingRift.P2P.Node.Hosting;

/// <summary>The node's wiring, one area per method.</summary>
public static class NodeServices
{
    public static IServiceCollection AddNodeCore(this IServiceCollection services, NodeOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new LoopRegistry(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(new ClusterToken(options.Config.AuthToken));
        services.AddSingleton<NodeSelf>();
        services.AddSingleton(sp => new ResourceSampler(options.DataDir, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<ResourceSampler>()));
        // First of the hosted services: the reserve file is written before anything else writes.
        services.AddHostedService<StorageService>();
        services.AddHostedService<ResourceLoop>();
        services.AddSingleton(_ => new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(2),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        })
        { Timeout = Timeout.InfiniteTimeSpan });
        services.AddSingleton<PeerClient>();
        services.AddSingleton<StatusBuilder>();
        services.AddSingleton(sp => new StorageHealth(options.DataDir, (long)(options.Config.StorageReserveMb * (1 << 20)),
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    public static IServiceCollection AddMembership(this IServiceCollection services, NodeOptions options)
    {
        services.AddSingleton(sp => new PeerTable(options.NodeId, options.Config.PeerTimeout, sp.GetRequiredService<TimeProvider>()));
        if (options.Config.SwimEnabled)
        {
            services.AddSingleton(sp => new SwimMembershipManager(options.NodeId, options.SwimPort, options.SwimSeeds, new SwimMembershipOptions
            {
                BindAddress = SwimBindAddress(options.BindHost),
                AdvertiseAddress = options.AdvertiseAddress,
                Authenticator = PacketAuthenticator.FromClusterToken(options.Config.AuthToken),
                Meta = new SwimNodeMeta(options.AdvertiseAddress, options.Port).Encode(),
                Time = sp.GetRequiredService<TimeProvider>(),
                LoggerFactory = sp.GetRequiredService<ILoggerFactory>(),
                ProbeLoop = sp.GetRequiredService<LoopRegistry>().Register("swim", SwimConfig.Default.ProbeInterval),
            }));
            // Registered before the heartbeats and the election, so SWIM is up (or known to be down) before they start.
            services.AddHostedService<SwimService>();
        }
        services.AddSingleton(sp => new NodeMembership(options, sp.GetRequiredService<PeerTable>(), sp.GetService<SwimMembershipManager>()));
        services.AddSingleton<IMembershipView>(sp => sp.GetRequiredService<NodeMembership>());
        services.AddSingleton(sp => new PeerStore(Path.Combine(options.DataDir, DataDirFiles.Peers), sp.GetRequiredService<ILogger<PeerStore>>()));
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
            new ReservedLeaseStateStore(new FileLeaseStateStore(Path.Combine(options.DataDir, DataDirFiles.VoterState)),
                sp.GetRequiredService<StorageHealth>(), Path.Combine(options.DataDir, DataDirFiles.VoterState))));
        services.AddSingleton<IElectionTransport>(sp => new HttpElectionTransport(
            sp.GetRequiredService<PeerTable>(), sp.GetRequiredService<PeerClient>(), () => electionOptions.RequestTimeout));
        // The election's own arguments; every service it needs comes from the container. Its epoch floor
        // is the work queue's fence (read on every tick and request, so the queue is opened lazily).
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<BullyElection>(sp,
            options.NodeId, (Func<VoterSet>)sp.GetRequiredService<VoterSetProvider>().Current, new Random(),
            (Func<long>)(() => sp.GetRequiredService<QuorumWorkQueue>().HighestFence)));
        services.AddHostedService<ElectionLoop>();
        services.AddSingleton<RaftService>();
        services.AddHostedService(sp => sp.GetRequiredService<RaftService>());
        if (options.Config.RaftEnabled && options.Raft.IsMember) services.AddHostedService<RaftProbeLoop>();
        services.AddSingleton<ConsensusSwitch>();
        return services;
    }

    /// <summary>
    /// The quorum-replicated SQLite queue. The container opens the store (with the registered clock) when
    /// it is first needed and disposes it after every hosted service has stopped.
    /// </summary>
    public static IServiceCollection AddWorkQueue(this IServiceCollection services, NodeOptions options)
    {
        services.AddSingleton(sp =>
        {
            var queue = SqliteWorkQueue.Open(Path.Combine(options.DataDir, DataDirFiles.Queue), sp.GetRequiredService<TimeProvider>());
            queue.Storage = sp.GetRequiredService<StorageHealth>();
            return queue;
        });
        services.AddSingleton(sp => new WorkReplica(options.NodeId, sp.GetRequiredService<SqliteWorkQueue>(),
            new ReplicaFence(Path.Combine(options.DataDir, DataDirFiles.Fence)), sp.GetRequiredService<VoterSetProvider>().Current,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<WorkReplica>(),
            new ReplicaPosition(Path.Combine(options.DataDir, DataDirFiles.Position))));
        services.AddSingleton<IReplicaTransport>(sp => new HttpReplicaTransport(
            sp.GetRequiredService<PeerTable>(), sp.GetRequiredService<PeerClient>(), ReplicationTimeout(options)));
        services.AddSingleton(sp => new QuorumWorkQueue(options.NodeId, sp.GetRequiredService<WorkReplica>(),
            sp.GetRequiredService<IReplicaTransport>(), sp.GetRequiredService<VoterSetProvider>().Current,
            ReplicationTimeout(options), sp.GetRequiredService<ILoggerFactory>().CreateLogger<QuorumWorkQueue>()));
        services.AddSingleton<QueueStatsCache>();
        services.AddSingleton<QueuePruner>();
        services.AddHostedService<QueueMaintenanceLoop>();
        services.AddSingleton<LeaderWorkGate>();
        services.AddClusterWorkPolicy();
        services.AddSingleton<WorkRouter>();
        services.AddSingleton<LocalWork>();
        services.AddSingleton<LeaderCalls>();
        services.AddSingleton<ClusterWork>();
        services.AddSingleton<IClusterWork>(sp => sp.GetRequiredService<ClusterWork>());
        services.AddSingleton<FallbackMigrator>();
        services.AddHostedService(sp => sp.GetRequiredService<FallbackMigrator>());
        services.AddHostedService<RaftRollbackImporter>();
        return services;
    }

    /// <summary>
    /// Job orchestration: webhook events, data sync, the leader's dispatch and training loops, every
    /// node's model sync, and (with a jobs file) the job runner.
    /// </summary>
    public static IServiceCollection AddJobs(this IServiceCollection services, NodeOptions options)
    {
        var settings = options.JobsSettings;
        services.AddSingleton<IClusterEventPublisher>(sp => sp.GetRequiredService<ClusterEvents>());
        services.AddSingleton(sp => new ClusterEvents(options.NodeId,
            options.Webhooks,
            time: sp.GetRequiredService<TimeProvider>(), logger: sp.GetRequiredService<ILogger<ClusterEvents>>())
        {
            SendLoop = options.Webhooks.Count > 0 ? sp.GetRequiredService<LoopRegistry>().Register("webhook_sender", null) : null,
        });
        services.AddSingleton(new SyncOptions
        {
            DataDir = options.DataDir,
            NodeId = options.NodeId,
            BandwidthBytesPerSecond = (long)(settings.SyncBandwidthMbps * 1_000_000),
            MaxConcurrentPulls = settings.SyncMaxConcurrentPulls,
            FreeSpaceReserveBytes = (long)settings.SyncReserveMb << 20,
            StallTimeout = settings.SyncStallTimeout,
        });
        services.AddSingleton<DataSync>();
        services.AddSingleton<SyncPeers>();
        services.AddSingleton(sp => new JobDataPreparer(sp.GetRequiredService<DataSync>(), sp.GetRequiredService<SyncPeers>(), options.DataDir));
        services.AddSingleton(_ => new Dispatcher(new DispatcherOptions { LoadMaxForNewJobs = options.Config.LoadMaxForNewJobs }));
        services.AddSingleton(sp => new DeadNodeRequeuer(new LeaderQueueView(sp.GetRequiredService<IClusterWork>()),
            sp.GetRequiredService<NodeMembership>(), DispatchLoop.DeclaredDead(sp.GetRequiredService<NodeMembership>(), sp.GetRequiredService<PeerTable>()),
            sp.GetRequiredService<TimeProvider>(),
            new DeadNodeRequeuerOptions { Grace = options.Config.PeerTimeout, DepartedGrace = options.Config.PeerTimeout },
            DispatchLoop.IsClusterNode(sp.GetRequiredService<NodeMembership>(), sp.GetRequiredService<PeerTable>()),
            DispatchLoop.HasLeft(sp.GetRequiredService<NodeMembership>(), sp.GetRequiredService<PeerTable>())));
        services.AddSingleton<DispatchLoop>();
        services.AddHostedService(sp => sp.GetRequiredService<DispatchLoop>());
        services.AddSingleton(sp =>
        {
            // The gate, not the port: the port serves training reads from this loop.
            var gate = sp.GetRequiredService<LeaderWorkGate>();
            var (interval, thresholds, training) = (options.Jobs?.Training ?? new TrainingFileSettings())
                .Resolve(NodeOptionsResolver.EnvironmentSnapshot(), options.Config);
            var loop = ActivatorUtilities.CreateInstance<TrainingLoop>(sp, (Func<IWorkQueue?>)gate.ServingQueue,
                (Func<bool>)(() => gate.ServingQueue() is not null), interval, thresholds, training);
            loop.Loop = sp.GetRequiredService<LoopRegistry>().Register("training", interval);
            return loop;
        });
        services.AddHostedService<TrainingService>();
        services.AddSingleton<ModelSyncLoop>();
        services.AddHostedService(sp => sp.GetRequiredService<ModelSyncLoop>());
        services.AddSingleton<JobsStatusBuilder>();
        services.AddSingleton<JobsService>();
        services.AddHostedService(sp => sp.GetRequiredService<JobsService>());
        return services;
    }

    /// <summary>
    /// SWIM binds an IP literal: the HTTP bind host when it is one, 127.0.0.1 for "localhost", else
    /// every IPv4 interface (the advertised address then tells peers where to send).
    /// </summary>
    internal static string SwimBindAddress(string bindHost)
    {
        var host = bindHost.Trim('[', ']');
        if (System.Net.IPAddress.TryParse(host, out var ip)) return ip.ToString();
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) ? "127.0.0.1" : "0.0.0.0";
    }

    /// <summary>How long a replication push may take: 2 s, or less with short leases.</summary>
    private static TimeSpan ReplicationTimeout(NodeOptions options) =>
        TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(2).Ticks, options.Config.LeaderLeaseDuration.Ticks / 4));
}
