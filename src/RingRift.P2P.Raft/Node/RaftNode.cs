using System.Net;
using DotNext.Net.Cluster.Consensus.Raft;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using Microsoft.Extensions.Logging;
using Polly;
using RingRift.P2P.Storage;

namespace RingRift.P2P.Raft.Node;

/// <summary>
/// One member of the Raft group that replicates the work queue: DotNext's TCP transport and
/// write-ahead log, <see cref="ReplicatedState"/> as the state machine, group commit on the leader.
/// Writes are accepted on the leader only (<see cref="NotRaftLeaderException"/> elsewhere, with the
/// leader's id and addresses so the caller can forward); linearizable reads work on any member.
/// </summary>
public sealed class RaftNode : IWorkCommandLog, IAsyncDisposable
{
    private const string NodeIdKey = "node_id";
    private const string HttpKey = "http";

    private readonly RaftNodeOptions _options;
    private readonly LocalRaftCluster _cluster;
    private readonly DurableWriteAheadLog _wal;
    private readonly ReplicatedState _state;
    private readonly GroupCommitter _committer;
    private readonly QuietRaftLoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly ResiliencePipeline _catchUp = RaftPolicies.CatchUp();
    private readonly ResiliencePipeline _leaderMetadata = RaftPolicies.LeaderMetadata();
    private readonly LeaderFollowing _following = new();
    private long _leaderChanges;
    private int _readyFired;

    private RaftNode(RaftNodeOptions options, LocalRaftCluster cluster, DurableWriteAheadLog wal, ReplicatedState state, QuietRaftLoggerFactory loggers)
    {
        _options = options;
        _cluster = cluster;
        _wal = wal;
        _state = state;
        _loggers = loggers;
        _logger = options.LoggerFactory.CreateLogger<RaftNode>();
        _committer = new GroupCommitter(ReplicateAsync, options.MaxBatch, options.MaxBatchesInFlight, options.CommitTimeout);
    }

    /// <summary>Raised (off the Raft thread) with the new leader's node id, or null while there is none.</summary>
    public event Action<string?>? LeaderChanged;

    /// <summary>Raised once, the first time a leader is known and this node has caught up with it.</summary>
    public event Action? Ready;

    public string NodeId => _options.NodeId;

    public TimeProvider Time => _options.Time;

    /// <summary>True while this node leads and its leadership has been confirmed by a committed entry.</summary>
    public bool IsLeader => !_cluster.LeadershipToken.IsCancellationRequested;

    /// <summary>A leader is known and this node has caught up with it since it was elected.</summary>
    public bool IsReady => _following.IsReady;

    public string? LeaderId => _following.Leader.Id;

    /// <summary>The leader's Raft address (host:port).</summary>
    public string? LeaderAddress => _following.Leader.Address;

    /// <summary>The leader's HTTP API address (host:port) as it advertised it, when it did.</summary>
    public string? LeaderHttpAddress => _following.Leader.Http;

    public bool SingleNode => _options.Members.Count == 1;

    /// <summary>The election timeout DotNext is running with now (drawn from <see cref="RaftNodeOptions.EffectiveElectionTimeout"/>).</summary>
    public TimeSpan ElectionTimeout => _cluster.ElectionTimeout;

    /// <summary>Starts the member: restores the latest snapshot, replays the log, joins the group.</summary>
    public static async Task<RaftNode> StartAsync(RaftNodeOptions options, CancellationToken ct = default)
    {
        options.Validate();
        Directory.CreateDirectory(options.DataDir);
        var loggers = new QuietRaftLoggerFactory(options.LoggerFactory);
        var snapshots = new DirectoryInfo(Path.Combine(options.DataDir, "snapshots"));
        snapshots.Create();
        var state = new ReplicatedState(snapshots, options.RecentCommandCapacity, options.SnapshotEveryCommands,
            options.LoggerFactory.CreateLogger<RaftNode>());
        await state.RestoreAsync(ct).ConfigureAwait(false); // must precede the WAL: it reads the restored snapshot index
        var wal = new DurableWriteAheadLog(new WriteAheadLog.Options
        {
            Location = Path.Combine(options.DataDir, "wal"),
            ChunkSize = options.WalChunkBytes,
            // Entries are written to private memory and copied to the chunk files when flushed, rather than
            // written into memory-mapped files and synced page by page: a replication round with the
            // followers' flush took ~2.7–3.3 ms against ~3.3–4.1 ms, ~15 % more claims/s at 256 in flight
            // (runs side by side). The log since the last snapshot is held in memory (a few MB).
            MemoryManagement = WriteAheadLog.MemoryManagementStrategy.PrivateMemory,
        }, state)
        {
            Storage = options.Storage,
        };
        var storage = EndPointConfigurationStorage.Seeded(options.Members);
        var bind = options.BindEndPoint ?? (IPEndPoint)options.PublicEndPoint;
        var (lowerMs, upperMs, heartbeatThreshold) = options.EffectiveElectionTimeout();
        var configuration = new RaftCluster.TcpConfiguration(bind)
        {
            PublicEndPoint = options.PublicEndPoint,
            LowerElectionTimeout = lowerMs,
            UpperElectionTimeout = upperMs,
            HeartbeatThreshold = heartbeatThreshold,
            RequestTimeout = options.RequestTimeout,
            ConnectTimeout = options.ConnectTimeout,
            ConfigurationStorage = storage,
            LoggerFactory = loggers,
        };
        configuration.Metadata[NodeIdKey] = options.NodeId;
        if (options.HttpAddress is { } http) configuration.Metadata[HttpKey] = http;
        var cluster = new LocalRaftCluster(configuration) { AuditTrail = wal };
        wal.ConfigurationStorage = storage;
        var node = new RaftNode(options, cluster, wal, state, loggers);
        cluster.LeaderChanged += node.OnLeaderChanged;
        try
        {
            await cluster.StartAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            await node.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        node._logger.Started(options.NodeId, RaftEndPoints.Format(options.PublicEndPoint), options.Members.Count,
            node.SingleNode ? " (single-node cluster: no partners configured)" : "");
        return node;
    }

    /// <inheritdoc />
    public async Task<WorkCommandResult> SubmitAsync(WorkCommand command, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!IsLeader) throw NotLeader();
        var wal = Path.Combine(_options.DataDir, "wal");
        _options.Storage?.EnsureRoom(wal);
        try
        {
            return await _committer.SubmitAsync(command, ct).ConfigureAwait(false);
        }
        catch (Exception error) when (_options.Storage is { } storage && OutOfSpace.Is(error))
        {
            storage.Report(wal, error); // flagged; the caller still learns the outcome as the log reported it
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<T> ReadAsync<T>(Func<WorkQueueStateMachine, T> read, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            await _cluster.ApplyReadBarrierAsync(ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && ct.IsCancellationRequested))
        {
            throw new RaftReadUnavailableException(
                $"raft node {NodeId} could not confirm the latest committed state ({ex.GetType().Name}: {ex.Message}); leader: {_following.Leader.Id ?? "none"}; retry shortly", ex);
        }
        return _state.Read(read);
    }

    /// <summary>Reads this node's applied state without a barrier (may trail the leader).</summary>
    public T ReadLocal<T>(Func<WorkQueueStateMachine, T> read) => _state.Read(read);

    /// <summary>Waits until this node is ready (see <see cref="IsReady"/>).</summary>
    public async Task WaitForReadyAsync(TimeSpan timeout, CancellationToken ct = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        while (!IsReady)
        {
            try { await Task.Delay(10, cts.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException($"raft node {NodeId} was not ready within {timeout.TotalSeconds:0.###} s (leader: {LeaderId ?? "none"})");
            }
        }
    }

    /// <summary>
    /// Before a planned stop: hands the group's leadership to another member. DotNext has no
    /// leadership-transfer message (the Raft thesis' TimeoutNow, §3.10), so a leader resigns and the
    /// member then stands by: it still votes and takes entries but never campaigns, so the first other
    /// member whose election timeout runs out wins, one to a few election timeouts later, with every
    /// committed entry (Raft §5.4.1: only a member holding them can win). A follower only stands by, at
    /// once, so it cannot be elected while it stops. Returns the leader this member then follows (for a
    /// leader: once another was elected, waiting at most <paramref name="within"/>), or null when there is
    /// none (yet) or this is the only member.
    /// </summary>
    public async Task<string?> HandOverAsync(TimeSpan within, CancellationToken ct = default)
    {
        if (SingleNode) return null;
        var started = Time.GetTimestamp();
        var resigned = false;
        while (true)
        {
            if (IsLeader) resigned |= await _cluster.ResignLocalAsync(ct).ConfigureAwait(false);
            if (!_cluster.Standby) await _cluster.EnableStandbyModeAsync(ct).ConfigureAwait(false); // false while a candidate: next round
            if (_cluster.Standby)
            {
                if (_following.Leader.Id is { } leader && leader != NodeId) return leader;
                if (!resigned) return null; // a follower hands nothing over
            }
            if (Time.GetElapsedTime(started) >= within) return null;
            await Task.Delay(TimeSpan.FromMilliseconds(10), Time, ct).ConfigureAwait(false);
        }
    }

    public RaftStatusInfo Status() => new()
    {
        NodeId = NodeId,
        Address = RaftEndPoints.Format(_options.PublicEndPoint),
        Members = _options.Members.Select(RaftEndPoints.Format).ToList(),
        SingleNode = SingleNode,
        Term = _cluster.Term,
        IsLeader = IsLeader,
        LeaderId = LeaderId,
        LeaderAddress = LeaderAddress,
        LeaderHttpAddress = LeaderHttpAddress,
        Ready = IsReady,
        CommitIndex = _wal.LastCommittedEntryIndex,
        LastApplied = _state.LastApplied,
        Batches = _committer.Batches,
        Commands = _committer.Commands,
        SnapshotsWritten = _state.SnapshotsWritten,
        CorruptEntries = _state.CorruptEntries,
        LeaderChanges = Interlocked.Read(ref _leaderChanges),
        SuppressedLogEvents = _loggers.Suppressed,
        FollowerFlushes = _wal.FollowerFlushes,
        FollowerFlushSeconds = Math.Round(_wal.FollowerFlushTime.TotalSeconds, 6),
    };

    private NotRaftLeaderException NotLeader()
    {
        var leader = _following.Leader;
        var message = leader.Id is null
            ? $"raft node {NodeId} is not the leader and no leader is known right now; retry shortly"
            : leader.Id == NodeId
                ? $"raft node {NodeId} was just elected and is not yet able to commit; retry shortly"
                : $"raft node {NodeId} is not the leader; the leader is {leader.Id} at {leader.Address}";
        return new NotRaftLeaderException(leader.Id == NodeId ? null : leader.Id, leader.Id == NodeId ? null : leader.Http ?? leader.Address, message);
    }

    private async Task ReplicateAsync(CommandBatch batch, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        var leadership = _cluster.LeadershipToken;
        if (leadership.IsCancellationRequested) throw NotLeader();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, leadership);
        await _cluster.ReplicateAsync(payload, batch, linked.Token).ConfigureAwait(false);
    }

    private void OnLeaderChanged(RaftCluster<RaftClusterMember> cluster, RaftClusterMember? leader)
    {
        var generation = _following.Change();
        Interlocked.Increment(ref _leaderChanges);
        _ = Task.Run(() => FollowLeaderAsync(leader, generation));
    }

    private async Task FollowLeaderAsync(RaftClusterMember? leader, long generation)
    {
        var info = LeaderInfo.None;
        if (leader is not null)
        {
            info = await DescribeAsync(leader, generation).ConfigureAwait(false);
        }
        if (!_following.TryFollow(generation, info)) return; // a newer change is being followed: this one is stale
        _logger.LeaderChanged(NodeId, info.Id ?? "none", _cluster.Term);
        Raise(() => LeaderChanged?.Invoke(info.Id));
        if (info.Id is null) return;
        try
        {
            var caughtUp = await _catchUp.ExecuteAsync(async ct =>
            {
                if (!_following.IsCurrent(generation)) return false;
                await _cluster.ApplyReadBarrierAsync(ct).ConfigureAwait(false);
                return _following.IsCurrent(generation);
            }, _stop.Token).ConfigureAwait(false);
            if (!caughtUp) return;
        }
        catch (Exception)
        {
            return; // the node is stopping
        }
        if (!_following.TryMarkReady(generation)) return;
        if (Interlocked.Exchange(ref _readyFired, 1) == 0)
        {
            _logger.Ready(NodeId, info.Id, _state.LastApplied);
            Raise(() => Ready?.Invoke());
        }
    }

    private async Task<LeaderInfo> DescribeAsync(RaftClusterMember leader, long generation)
    {
        var address = RaftEndPoints.Format(leader.EndPoint);
        if (!leader.IsRemote) return new LeaderInfo(NodeId, address, _options.HttpAddress);
        try
        {
            var described = await _leaderMetadata.ExecuteAsync(async ct =>
            {
                if (!_following.IsCurrent(generation)) return null;
                var metadata = await leader.GetMetadataAsync(false, ct).ConfigureAwait(false);
                return new LeaderInfo(metadata.GetValueOrDefault(NodeIdKey) ?? address, address, metadata.GetValueOrDefault(HttpKey));
            }, _stop.Token).ConfigureAwait(false);
            if (described is not null) return described;
        }
        catch (Exception)
        {
            // the node is stopping
        }
        return new LeaderInfo(address, address, null);
    }

    private void Raise(Action handler)
    {
        try { handler(); }
        catch (Exception error) { _logger.HandlerFailed(error); }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        _cluster.LeaderChanged -= OnLeaderChanged;
        await _committer.DisposeAsync().ConfigureAwait(false);
        try { await _cluster.StopAsync(CancellationToken.None).ConfigureAwait(false); }
        catch (Exception) { /* stopping a member that never started fully */ }
        _cluster.Dispose();
        await _wal.DisposeAsync().ConfigureAwait(false);
        await _state.DisposeAsync().ConfigureAwait(false);
        _logger.Stopped(NodeId);
        _stop.Dispose();
    }
}
