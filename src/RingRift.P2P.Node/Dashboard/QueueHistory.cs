namespace RingRift.P2P.Node.Dashboard;

/// <summary>
/// The last <see cref="Capacity"/> queue samples in a ring: adding one past the capacity drops the
/// oldest, so memory stays bounded however long the node runs. Safe for one writer and many readers.
/// </summary>
public sealed class QueueHistory
{
    private readonly QueueSample?[] _ring;
    private readonly Lock _gate = new();
    private int _next;
    private int _count;

    public QueueHistory(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new QueueSample?[capacity];
    }

    public int Capacity => _ring.Length;

    public int Count
    {
        get { lock (_gate) return _count; }
    }

    public void Add(QueueSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        lock (_gate)
        {
            _ring[_next] = sample;
            _next = (_next + 1) % _ring.Length;
            if (_count < _ring.Length) _count++;
        }
    }

    /// <summary>The samples taken at or after <paramref name="since"/> (Unix seconds), oldest first.</summary>
    public IReadOnlyList<QueueSample> Since(double since)
    {
        lock (_gate)
        {
            var list = new List<QueueSample>(_count);
            for (var i = 0; i < _count; i++)
            {
                var sample = _ring[(_next - _count + i + _ring.Length) % _ring.Length]!;
                if (sample.Time >= since) list.Add(sample);
            }
            return list;
        }
    }
}
