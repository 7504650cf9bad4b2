using System.Collections.Concurrent;

namespace RingRift.P2P.Node.Sync;

/// <summary>
/// A pull under way: bytes of the file present so far (resumed bytes included) out of its size, and the rate of this
/// transfer. <paramref name="Attempt"/> is the attempt it is on (1 until a transfer breaks; a broken one moves it to the
/// next at once, through the pause before it) and <paramref name="LastError"/> why the last one broke (null: none has).
/// </summary>
public sealed record PullProgress(string Path, string Peer, long BytesDone, long BytesTotal, double BytesPerSecond, DateTimeOffset StartedAt,
    int Attempt, string? LastError);

/// <summary>
/// A finished pull: <paramref name="BytesTransferred"/> received over the network (a resume fetches only the
/// remainder), over <paramref name="Seconds"/> and <paramref name="Attempts"/> attempts; <paramref name="Error"/> is null when it succeeded.
/// </summary>
public sealed record PullRecord(string Path, string Peer, long Size, long BytesTransferred, double Seconds,
    double BytesPerSecond, DateTimeOffset FinishedAt, string? Error, int Attempts);

/// <summary>
/// Since the node started: verified <paramref name="Files"/> pulled, <paramref name="Bytes"/> received,
/// <paramref name="Failures"/>, <paramref name="BytesPerS"/> the current receive rate (sum over pulls in
/// progress), and what this node served to others.
/// </summary>
public sealed record SyncTotals(long Files, long Bytes, long Failures, double BytesPerS, long ServedFiles, long ServedBytes);

/// <summary>The body of <c>GET /sync/status</c>; <paramref name="BandwidthLimitBytesPerSecond"/> 0 = unlimited.</summary>
public sealed record SyncStatusSnapshot(string NodeId, IReadOnlyList<PullProgress> InProgress, IReadOnlyList<PullRecord> Completed,
    IReadOnlyList<PullRecord> Failed, SyncTotals Totals, long BandwidthLimitBytesPerSecond, int MaxConcurrentPulls);

/// <summary>Keeps pulls in progress, the last N completed and failed ones, and running totals.</summary>
public sealed class SyncStatusTracker(TimeProvider time, int keep)
{
    private readonly TimeProvider _time = time;
    private readonly ConcurrentDictionary<long, Transfer> _active = new();
    private readonly Lock _lock = new();
    private readonly LinkedList<PullRecord> _completed = new();
    private readonly LinkedList<PullRecord> _failed = new();
    private long _nextId;
    private long _files;
    private long _bytes;
    private long _failures;
    private long _servedFiles;
    private long _servedBytes;

    /// <summary>One pull being tracked; <see cref="Received"/> as bytes arrive, then exactly one of <see cref="Succeeded"/> / <see cref="Failed"/>.</summary>
    public sealed class Transfer
    {
        private readonly SyncStatusTracker _owner;
        private readonly long _id;
        private readonly long _startTimestamp;
        private long _present;
        private long _received;
        private int _finished;
        private int _attemptsMade;
        private int _attempt = 1;
        private string? _lastError;

        internal Transfer(SyncStatusTracker owner, long id, string path, string peer, long size)
        {
            _owner = owner;
            _id = id;
            Path = path;
            Peer = peer;
            Size = size;
            StartedAt = owner._time.GetUtcNow();
            _startTimestamp = owner._time.GetTimestamp();
        }

        public string Path { get; }
        public string Peer { get; }
        public long Size { get; }
        public DateTimeOffset StartedAt { get; }
        public long BytesReceived => Interlocked.Read(ref _received);
        public long BytesPresent => Interlocked.Read(ref _present);
        internal double Seconds => _owner._time.GetElapsedTime(_startTimestamp).TotalSeconds;

        /// <summary>Attempts made so far, the one under way included.</summary>
        public int AttemptsMade => Volatile.Read(ref _attemptsMade);

        /// <summary>The attempt the pull is on: the one under way, or after a break the next one.</summary>
        public int Attempt => Volatile.Read(ref _attempt);

        /// <summary>Why the last broken attempt broke; null while none has.</summary>
        public string? LastError => Volatile.Read(ref _lastError);

        /// <summary>Attempt <paramref name="attempt"/> (1-based) starts.</summary>
        public void Attempting(int attempt)
        {
            Volatile.Write(ref _attemptsMade, attempt);
            Volatile.Write(ref _attempt, attempt);
        }

        /// <summary>The attempt under way broke because of <paramref name="error"/>, and another one follows.</summary>
        public void Retrying(string error)
        {
            Volatile.Write(ref _lastError, error);
            Volatile.Write(ref _attempt, AttemptsMade + 1);
        }

        /// <summary>Sets how much of the file is already on disk (a resumed <c>.partial</c>).</summary>
        public void Present(long bytes) => Interlocked.Exchange(ref _present, bytes);

        public void Received(int bytes)
        {
            Interlocked.Add(ref _received, bytes);
            Interlocked.Add(ref _present, bytes);
            Interlocked.Add(ref _owner._bytes, bytes);
        }

        public void Succeeded() => Finish(null);

        public void Failed(string error) => Finish(error);

        internal double Rate => Seconds > 0 ? BytesReceived / Seconds : 0;

        private void Finish(string? error)
        {
            if (Interlocked.Exchange(ref _finished, 1) == 1) return;
            _owner.Finish(_id, this, error);
        }
    }

    public Transfer Begin(string path, string peer, long size)
    {
        var id = Interlocked.Increment(ref _nextId);
        var transfer = new Transfer(this, id, path, peer, size);
        _active[id] = transfer;
        return transfer;
    }

    /// <summary>Files pulled and verified so far.</summary>
    public long FilesPulled => Interlocked.Read(ref _files);

    /// <summary>Bytes received by pulls so far (verified or not).</summary>
    public long BytesPulled => Interlocked.Read(ref _bytes);

    /// <summary>Pulls that ended in an error.</summary>
    public long PullsFailed => Interlocked.Read(ref _failures);

    /// <summary>Bytes served to peers.</summary>
    public long BytesServed => Interlocked.Read(ref _servedBytes);

    /// <summary>Counts one file (or part of one) served to a peer.</summary>
    public void Served(long bytes)
    {
        Interlocked.Increment(ref _servedFiles);
        Interlocked.Add(ref _servedBytes, bytes);
    }

    public SyncStatusSnapshot Snapshot(string nodeId, long bandwidthLimit, int maxConcurrentPulls)
    {
        var active = _active.Values
            .Select(t => new PullProgress(t.Path, t.Peer, t.BytesPresent, t.Size, Math.Round(t.Rate, 1), t.StartedAt, t.Attempt, t.LastError))
            .OrderBy(p => p.StartedAt).ToList();
        List<PullRecord> completed, failed;
        lock (_lock)
        {
            completed = [.. _completed];
            failed = [.. _failed];
        }
        var totals = new SyncTotals(FilesPulled, BytesPulled, PullsFailed,
            Math.Round(active.Sum(p => p.BytesPerSecond), 1), Interlocked.Read(ref _servedFiles), BytesServed);
        return new SyncStatusSnapshot(nodeId, active, completed, failed, totals, bandwidthLimit, maxConcurrentPulls);
    }

    private void Finish(long id, Transfer transfer, string? error)
    {
        _active.TryRemove(id, out _);
        var seconds = transfer.Seconds;
        var record = new PullRecord(transfer.Path, transfer.Peer, transfer.Size, transfer.BytesReceived, Math.Round(seconds, 3),
            Math.Round(seconds > 0 ? transfer.BytesReceived / seconds : 0, 1), _time.GetUtcNow(), error, transfer.AttemptsMade);
        if (error is null) Interlocked.Increment(ref _files);
        else Interlocked.Increment(ref _failures);
        lock (_lock)
        {
            var list = error is null ? _completed : _failed;
            list.AddFirst(record);
            while (list.Count > keep) list.RemoveLast();
        }
    }
}
