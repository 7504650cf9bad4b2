namespace RingRift.P2P.Storage;

/// <summary>
/// The node's one "storage is full" flag and the gate in front of its writes. Any writer that fails for
/// lack of space calls <see cref="Report"/>: the flag is set (once, raising <see cref="Changed"/>) and the
/// reserve file is deleted, which gives the small state files that must keep being written while full
/// (the lease voter's promises, job state) room again. From then on <see cref="ThrowIfFull"/> refuses
/// work-queue writes up front instead of letting them use that room, until the filesystem has
/// <see cref="RecoverFreeBytes"/> free again: then the reserve is written back, the flag clears and
/// <see cref="Changed"/> is raised again. Recovery is tried by the next gated write and by
/// <see cref="TryRecover"/> (called periodically by the node).
/// </summary>
/// <remarks>
/// A refused write never reached the store, and a write that failed inside SQLite or the Raft log was
/// rolled back there, so nothing acknowledged is lost by either. Thread-safe; <see cref="Changed"/> runs
/// outside the lock on the thread that made the transition.
/// </remarks>
public sealed class StorageHealth
{
    /// <summary>The reserve file's name inside the data dir.</summary>
    public const string ReserveFileName = "storage_reserve";

    /// <summary>Free bytes required before writes resume, whatever the reserve: 64 KiB.</summary>
    public const long MinRecoverBytes = 64 << 10;

    private const int ChunkBytes = 64 << 10;

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly Func<string, long> _freeBytes;
    private StorageState _state = StorageState.Ok;
    private long _refused;

    /// <param name="directory">The data dir: where the reserve file lives and whose filesystem is watched.</param>
    /// <param name="reserveBytes">Size of the reserve file (0: none); see <see cref="StorageHealth"/>.</param>
    /// <param name="time">Clock for <see cref="StorageState.Since"/>.</param>
    /// <param name="freeBytes">Free bytes on the filesystem of a directory; <see cref="StorageDevice.FreeBytes"/> when null.</param>
    public StorageHealth(string directory, long reserveBytes, TimeProvider time, Func<string, long>? freeBytes = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentOutOfRangeException.ThrowIfNegative(reserveBytes);
        ArgumentNullException.ThrowIfNull(time);
        Directory = System.IO.Path.GetFullPath(directory);
        ReserveBytes = reserveBytes;
        _time = time;
        _freeBytes = freeBytes ?? StorageDevice.FreeBytes;
    }

    /// <summary>The watched data dir.</summary>
    public string Directory { get; }

    /// <summary>The reserve file, <see cref="ReserveFileName"/> in <see cref="Directory"/>.</summary>
    public string ReservePath => System.IO.Path.Combine(Directory, ReserveFileName);

    /// <summary>Size of the reserve file.</summary>
    public long ReserveBytes { get; }

    /// <summary>Free bytes needed to leave the full state: twice the reserve, at least <see cref="MinRecoverBytes"/>.</summary>
    public long RecoverFreeBytes => Math.Max(2 * ReserveBytes, MinRecoverBytes);

    /// <summary>
    /// Free bytes below which <see cref="EnsureRoom"/> refuses: the reserve's size, at least half of
    /// <see cref="MinRecoverBytes"/>. Never more than what is left after a recovery re-creates the reserve, so
    /// a recovered node is not refused again at once.
    /// </summary>
    public long LowFreeBytes => Math.Max(ReserveBytes, MinRecoverBytes / 2);

    /// <summary>True while the filesystem is known to be full.</summary>
    public bool IsFull => Current.Full;

    /// <summary>The flag, its path, since when, the first error, and the refused-write count.</summary>
    public StorageState Current
    {
        get
        {
            lock (_gate) return _state with { RefusedWrites = Interlocked.Read(ref _refused) };
        }
    }

    /// <summary>Raised on each transition (full, then not full), outside the lock.</summary>
    public event Action<StorageState>? Changed;

    /// <summary>
    /// Writes the reserve file when it is missing or short (at start). When that fails for lack of space the
    /// node starts full (see <see cref="Report"/>); other I/O errors surface.
    /// </summary>
    public void Prepare()
    {
        System.IO.Directory.CreateDirectory(Directory);
        try
        {
            lock (_gate) WriteReserve();
        }
        catch (IOException e) when (OutOfSpace.Is(e))
        {
            Report(ReservePath, e);
        }
    }

    /// <summary>
    /// Refuses a write to <paramref name="path"/> while the filesystem is full (after one recovery attempt).
    /// Counts the refusal.
    /// </summary>
    /// <exception cref="StorageFullException">Still full; the message names the path, the filesystem and since when.</exception>
    public void ThrowIfFull(string path)
    {
        if (!Volatile.Read(ref _state).Full || TryRecover()) return;
        Interlocked.Increment(ref _refused);
        var state = Current;
        throw new StorageFullException(path,
            $"no space left on device for {path} ({StorageDevice.Describe(path)}): storage full since {state.Since:O}; " +
            $"writes resume once {RecoverFreeBytes} bytes are free");
    }

    /// <summary>
    /// For writers that must not meet a full disk at all (DotNext's Raft log stays failed after a write
    /// that ran out of space): refuses like <see cref="ThrowIfFull"/>, and also when fewer than
    /// <see cref="LowFreeBytes"/> are free, which flags the node full (see <see cref="Report"/>).
    /// </summary>
    /// <exception cref="StorageFullException">Full, or too little free; the message names path and filesystem.</exception>
    public void EnsureRoom(string path)
    {
        ThrowIfFull(path);
        var free = FreeBytesOrZero();
        if (free >= LowFreeBytes) return;
        throw Report(path, new IOException($"only {free} bytes free, fewer than the {LowFreeBytes} kept for the node's own state", OutOfSpace.Enospc));
    }

    /// <summary>
    /// Records that a write to <paramref name="path"/> failed with <paramref name="cause"/> for lack of space;
    /// the first report sets the flag, deletes the reserve file and raises <see cref="Changed"/>. Returns the
    /// exception to answer the write with (naming path and filesystem).
    /// </summary>
    public StorageFullException Report(string path, Exception cause)
    {
        ArgumentNullException.ThrowIfNull(cause);
        var error = StorageFullException.For(path, cause);
        Interlocked.Increment(ref _refused);
        StorageState? raised = null;
        lock (_gate)
        {
            if (!_state.Full)
            {
                DeleteReserve();
                _state = new StorageState(true, path, _time.GetUtcNow(), error.Message, 0);
                raised = _state;
            }
        }
        if (raised is not null) Changed?.Invoke(Current);
        return error;
    }

    /// <summary>
    /// While full: when <see cref="RecoverFreeBytes"/> are free again, writes the reserve back and clears the
    /// flag (raising <see cref="Changed"/>). True when the filesystem is not (or no longer) full.
    /// </summary>
    public bool TryRecover()
    {
        lock (_gate)
        {
            if (!_state.Full) return true;
            if (FreeBytesOrZero() < RecoverFreeBytes) return false;
            try
            {
                WriteReserve();
            }
            catch (IOException e) when (OutOfSpace.Is(e))
            {
                DeleteReserve(); // space went again in between: stay full, keep the room
                return false;
            }
            _state = StorageState.Ok;
        }
        Changed?.Invoke(Current);
        return true;
    }

    private long FreeBytesOrZero()
    {
        try { return _freeBytes(Directory); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException) { return 0; }
    }

    /// <summary>Writes the reserve file with real bytes (a sparse file would reserve nothing) and syncs it.</summary>
    private void WriteReserve()
    {
        if (ReserveBytes == 0) return;
        var info = new FileInfo(ReservePath);
        if (info.Exists && info.Length >= ReserveBytes) return;
        try
        {
            using var file = new FileStream(ReservePath, FileMode.Create, FileAccess.Write, FileShare.None);
            var chunk = new byte[ChunkBytes];
            for (var written = 0L; written < ReserveBytes; written += ChunkBytes)
                file.Write(chunk, 0, (int)Math.Min(ChunkBytes, ReserveBytes - written));
            file.Flush(flushToDisk: true);
        }
        catch (IOException)
        {
            DeleteReserve();
            throw;
        }
    }

    private void DeleteReserve()
    {
        try { File.Delete(ReservePath); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
