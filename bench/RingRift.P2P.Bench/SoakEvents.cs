namespace RingRift.P2P.Bench;

/// <summary>The faults of a soak run as they happened ("kill node-2", "restart node-1"), seconds from its start.</summary>
public sealed class SoakEvents
{
    private readonly Lock _gate = new();
    private readonly List<(double At, string What)> _events = [];

    public void Add(double at, string what)
    {
        lock (_gate) _events.Add((at, what));
    }

    /// <summary>The events in [from, to), oldest first.</summary>
    public IReadOnlyList<string> Between(double from, double to)
    {
        lock (_gate) return _events.Where(e => e.At >= from && e.At < to).OrderBy(e => e.At).Select(e => $"{e.At:0.0}s {e.What}").ToList();
    }
}
