namespace RingRift.P2P.Testing.Netns;

/// <summary>
/// A link that goes down and up on a timer (<see cref="NetnsTestBed.Flap"/>): cut at the start, healed
/// after one period, cut again after the next. Dispose stops it and leaves the link healed.
/// </summary>
public sealed class NetnsFlap : IDisposable
{
    private readonly Action _cut;
    private readonly Action _heal;
    private readonly TimeSpan _period;
    private readonly Lock _gate = new();
    private Timer? _timer;
    private bool _down;
    private bool _stopped;
    private int _toggles;

    internal NetnsFlap(Action cut, Action heal, TimeSpan period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, TimeSpan.FromMilliseconds(10));
        _cut = cut;
        _heal = heal;
        _period = period;
    }

    /// <summary>How many times the link has changed state (the first cut included).</summary>
    public int Toggles => Volatile.Read(ref _toggles);

    /// <summary>The last error a toggle met (an nft failure); null when none.</summary>
    public Exception? LastError { get; private set; }

    /// <summary>Stops flapping and heals the link.</summary>
    public void Dispose() => Stop();

    internal void Begin()
    {
        Toggle();
        lock (_gate)
        {
            if (!_stopped) _timer = new Timer(_ => Toggle(), null, _period, _period);
        }
    }

    internal void Stop()
    {
        lock (_gate)
        {
            if (_stopped) return;
            _stopped = true;
            _timer?.Dispose();
            _heal();
            _down = false;
        }
    }

    private void Toggle()
    {
        lock (_gate)
        {
            if (_stopped) return;
            try
            {
                if (_down) _heal();
                else _cut();
                _down = !_down;
                Interlocked.Increment(ref _toggles);
            }
            catch (Exception e)
            {
                LastError = e;
            }
        }
    }
}
