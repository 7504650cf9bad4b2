using System.Globalization;

namespace RingRift.P2P.Coordination;

/// <summary>
/// The highest leader epoch a replica has served. Writes from a lower epoch are refused, so a
/// deposed leader's late writes cannot land after a new leader has read this replica.
/// Persisted (temp file, flush, rename) before it is raised, so a restart cannot lower it.
/// </summary>
public sealed class ReplicaFence
{
    /// <summary>
    /// The highest epoch a fence can reach: a leader stamps item versions as <c>epoch &lt;&lt; 40</c> plus a
    /// counter (<see cref="QuorumWorkQueue.ActivateAsync"/>), which overflows a long above this (the
    /// SQLite store's <c>MaxEpoch</c> is the same bound). A replica refuses a higher epoch as bad input
    /// rather than be fenced where no leader could ever serve.
    /// </summary>
    public const long MaxEpoch = (1L << 23) - 1;

    private readonly object _gate = new();
    private readonly string? _path;
    private long _epoch;

    public ReplicaFence(string? path)
    {
        _path = path;
        if (path is null || !File.Exists(path)) return;
        var text = File.ReadAllText(path).Trim();
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _epoch))
            throw new InvalidDataException($"replica fence file '{path}' is corrupt: expected a non-negative integer, got '{text}'");
    }

    public long Epoch { get { lock (_gate) return _epoch; } }

    /// <summary>True when <paramref name="epoch"/> is at least the fence; the fence rises to it.</summary>
    public bool TryAdvance(long epoch)
    {
        lock (_gate)
        {
            if (epoch < _epoch) return false;
            if (epoch == _epoch) return true;
            Persist(epoch);
            _epoch = epoch;
            return true;
        }
    }

    private void Persist(long epoch)
    {
        if (_path is null) return;
        var tmp = _path + ".tmp";
        using (var f = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            var bytes = System.Text.Encoding.ASCII.GetBytes(epoch.ToString(CultureInfo.InvariantCulture));
            f.Write(bytes);
            f.Flush(flushToDisk: true);
        }
        File.Move(tmp, _path, overwrite: true);
    }
}
