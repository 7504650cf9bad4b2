using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace RingRift.P2P.Coordination;

/// <summary>
/// The highest item version a replica has acknowledged (to a leader's push, or as the leader for its own
/// change), and whether its store has been found older than that, kept in a small file beside the queue's
/// database. A database restored from an old backup holds less than the replica acknowledged: its version
/// clock is below <see cref="Acknowledged"/>, and the replica is <see cref="Behind"/> until a leader has
/// copied the whole queue back to it (see <see cref="WorkReplica"/>).
/// </summary>
/// <remarks>
/// The file holds <c>N</c> or <c>N behind</c>, padded with spaces. It is written after the database commit
/// and before the acknowledgement leaves, in place and without an fsync: the database is not fsynced
/// per commit either (SQLite WAL with <c>synchronous = NORMAL</c>), and a position that lags the database
/// after an OS crash only misses a restore from a backup younger than the crash. Behind is sticky: later
/// writes raise the database's clock past the old position, so the flag, not the comparison, remembers
/// what was lost. An unreadable file counts as position 0 (nothing known), so it never stops a node;
/// <see cref="Unreadable"/> says why, for the log.
/// </remarks>
public sealed class ReplicaPosition
{
    private const string BehindMark = "behind";
    private const int RecordLength = 32; // "9223372036854775807 behind" padded with spaces
    private readonly Lock _gate = new();
    private readonly string? _path;
    private SafeFileHandle? _handle;
    private long _acknowledged;
    private bool _behind;

    public ReplicaPosition(string? path)
    {
        _path = path;
        if (path is null || !File.Exists(path)) return;
        var text = File.ReadAllText(path).Trim();
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is 1 or 2 && (parts.Length == 1 || parts[1] == BehindMark)
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var acknowledged))
        {
            _acknowledged = acknowledged;
            _behind = parts.Length == 2;
            return;
        }
        Unreadable = $"replica position file '{path}' is unreadable (expected a non-negative integer, optionally followed by " +
            $"'{BehindMark}', got '{(text.Length <= 40 ? text : text[..40] + "…")}'); counting it as 0: a work_queue.db restored " +
            "from a backup before now cannot be noticed, and the next write rewrites the file";
    }

    /// <summary>The highest version acknowledged so far, 0 when none is known.</summary>
    public long Acknowledged { get { lock (_gate) return _acknowledged; } }

    /// <summary>True from <see cref="MarkBehind"/> until <see cref="CaughtUp"/>: the store lost acknowledged items.</summary>
    public bool Behind { get { lock (_gate) return _behind; } }

    /// <summary>Why the file could not be read at start, or null when it could (or did not exist).</summary>
    public string? Unreadable { get; }

    /// <summary>Raises the position to the highest version in <paramref name="items"/>; lower ones change nothing.</summary>
    public void Record(IReadOnlyList<WorkItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        long highest = 0;
        foreach (var item in items) highest = Math.Max(highest, item.Version);
        lock (_gate)
        {
            if (highest <= _acknowledged) return;
            Persist(highest, _behind);
            _acknowledged = highest;
        }
    }

    /// <summary>Records that the store holds less than this replica acknowledged.</summary>
    public void MarkBehind()
    {
        lock (_gate)
        {
            if (_behind) return;
            Persist(_acknowledged, true);
            _behind = true;
        }
    }

    /// <summary>
    /// A leader has copied the whole queue back: the store's version clock (<paramref name="version"/>,
    /// possibly lower than the old position) is the new position, and the replica is no longer behind.
    /// </summary>
    public void CaughtUp(long version)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        lock (_gate)
        {
            Persist(version, false);
            _acknowledged = version;
            _behind = false;
        }
    }

    /// <summary>
    /// Overwrites the file's <see cref="RecordLength"/> bytes in place through a handle kept open: one small
    /// write at offset 0 per acknowledgement (a temporary file and a rename cost 5–10 times a push's SQLite
    /// commit here, see the <c>replica-position</c> bench). 32 bytes at offset 0 lie in one disk sector,
    /// which devices write whole; a file left damaged anyway reads back as unreadable, which counts as 0.
    /// </summary>
    private void Persist(long version, bool behind)
    {
        if (_path is null) return;
        if (_handle is null)
        {
            _handle = File.OpenHandle(_path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
            RandomAccess.SetLength(_handle, RecordLength); // drops anything an older or damaged file left beyond it
        }
        var text = version.ToString(CultureInfo.InvariantCulture) + (behind ? " " + BehindMark : "");
        RandomAccess.Write(_handle, Encoding.ASCII.GetBytes(text.PadRight(RecordLength)), 0);
    }
}
