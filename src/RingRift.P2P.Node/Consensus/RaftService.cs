using System.Net;
using RingRift.P2P.Config;
using RingRift.P2P.Node.Hosting;
using RingRift.P2P.Raft;
using RingRift.P2P.Raft.Node;

namespace RingRift.P2P.Node.Consensus;

/// <summary>
/// Runs this node's Raft member when <c>RINGRIFT_RAFT_ENABLED</c> is on and the node is in the
/// Raft group. A member that cannot start (port taken, unreadable log) leaves <see cref="Node"/>
/// null and says why in <see cref="FailureReason"/>, logged once; the node keeps running on Bully.
/// With <c>RINGRIFT_RAFT_WARMUP</c> (the default) a member of a group of two or more first runs
/// <see cref="RaftWarmUp"/> (at most 5 s) so its first failover does not run cold code.
/// </summary>
public sealed class RaftService(NodeOptions options, TimeProvider time, ILoggerFactory loggers, ILogger<RaftService> logger,
    RingRift.P2P.Storage.StorageHealth? storage = null) : IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan WarmUpBudget = TimeSpan.FromSeconds(5);
    private long _startedAt = time.GetTimestamp();
    private volatile bool _everReady;

    public bool Enabled => options.Config.RaftEnabled;

    public RaftMembership Membership => options.Raft;

    /// <summary>The running member; null when disabled, not a member, or failed to start.</summary>
    public RaftNode? Node { get; private set; }

    /// <summary>The queue over <see cref="Node"/>.</summary>
    public ReplicatedWorkQueue? Queue { get; private set; }

    /// <summary>Why Raft is enabled but not running here; null otherwise.</summary>
    public string? FailureReason { get; private set; }

    /// <summary>True once this member has had a leader and caught up with it (remembered across restarts).</summary>
    public bool EverReady => _everReady;

    /// <summary>Time since the member started (or tried to).</summary>
    public TimeSpan Uptime => time.GetElapsedTime(_startedAt);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _startedAt = time.GetTimestamp();
        if (!Enabled || !options.Raft.IsMember) return;
        var self = options.Raft.Self!;
        try
        {
            // A member that has never led compiles the leader's code on its first election; do it here, off the clock
            // (and off the start-up grace below, which counts from when the member itself starts).
            if (options.Config.RaftWarmUp && options.Raft.Members.Count > 1)
            {
                await RaftWarmUp.RunAsync(WarmUpBudget, loggers.CreateLogger<RaftNode>(), cancellationToken);
                _startedAt = time.GetTimestamp();
            }
            var node = await RaftNode.StartAsync(new RaftNodeOptions
            {
                NodeId = options.NodeId,
                PublicEndPoint = RaftEndPoints.Parse(self, "raft self address"),
                BindEndPoint = new IPEndPoint(BindAddress(options.BindHost), options.RaftPort),
                Members = options.Raft.Members.Select(m => RaftEndPoints.Parse(m, "raft member")).ToList(),
                DataDir = Path.Combine(options.DataDir, "raft"),
                HttpAddress = $"{self[..self.LastIndexOf(':')]}:{options.Port}",
                Time = time,
                LoggerFactory = loggers,
                Storage = storage,
            }.WithElectionTimeout(options.Config.RaftElectionTimeoutMs, options.Config.RaftHeartbeatRatio), cancellationToken);
            var marker = Path.Combine(options.DataDir, "raft", "ready-once");
            _everReady = File.Exists(marker); // a member that has served before does not fall back for want of a quorum after a restart
            node.Ready += () =>
            {
                _everReady = true;
                try { File.WriteAllText(marker, options.NodeId); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            };
            Queue = new ReplicatedWorkQueue(node);
            Node = node;
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            FailureReason = $"raft could not start on port {options.RaftPort}: {error.Message}"
                + (IsAddressInUse(error) ? $" (set {P2PEnvironmentVariables.RaftBindPort} or --raft-port)" : "");
            logger.RaftUnavailable(FailureReason);
        }
    }

    /// <summary>
    /// A planned stop hands the Raft leadership over first (<see cref="RaftNode.HandOverAsync"/>), so the
    /// others elect one of themselves within an election timeout or two instead of first having to
    /// notice this member's silence; then the member stops. The host stops this service before the
    /// Bully election and membership (reverse order of registration), so this member is still a
    /// reachable voter while the others elect.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Node is { SingleNode: false } node)
        {
            var wasLeader = node.IsLeader;
            var started = time.GetTimestamp();
            var budget = HandOverBudget(node.ElectionTimeout);
            try
            {
                var next = await node.HandOverAsync(budget, cancellationToken);
                if (wasLeader && next is not null) logger.RaftHandedOver(next, time.GetElapsedTime(started).TotalMilliseconds);
                else if (wasLeader) logger.RaftHandOverTimedOut(budget.TotalSeconds);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                logger.RaftHandOverTimedOut(time.GetElapsedTime(started).TotalSeconds); // the host's shutdown time ran out
            }
            catch (Exception error)
            {
                logger.RaftHandOverFailed(error.Message); // whatever it was, the member still stops below
            }
        }
        await DisposeAsync();
    }

    /// <summary>
    /// How long a stopping member waits for another to lead: 20 election timeouts, at least 2 s and at
    /// most 5 s (a part of <see cref="NodeHost.ShutdownTimeout"/>).
    /// </summary>
    internal static TimeSpan HandOverBudget(TimeSpan electionTimeout) =>
        TimeSpan.FromTicks(Math.Clamp(electionTimeout.Ticks * 20, TimeSpan.FromSeconds(2).Ticks, TimeSpan.FromSeconds(5).Ticks));

    public async ValueTask DisposeAsync()
    {
        if (Node is { } node)
        {
            Node = null;
            Queue = null;
            await node.DisposeAsync();
        }
    }

    private static bool IsAddressInUse(Exception? error)
    {
        for (; error is not null; error = error.InnerException)
            if (error is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.AddressAlreadyInUse }) return true;
        return false;
    }

    private static IPAddress BindAddress(string bindHost)
    {
        var host = bindHost.Trim('[', ']');
        if (IPAddress.TryParse(host, out var ip)) return ip;
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback : IPAddress.Any;
    }
}
