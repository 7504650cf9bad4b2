namespace RingRift.P2P.Testing.Netns;

/// <summary>
/// A link that goes down and up on a timer (<see cref="NetnsTestBed.Flap"/>): cut at the start, healed
/// one period after that change was made, cut again one period later, and so on. A thread of its own
/// does the toggling (each toggle runs nft, which blocks), so a slow machine stretches the periods
/// rather than piling toggles up on the thread pool. Dispose stops it and leaves the link healed.
/// </summary>
public sealed class NetnsFlap : IDisposable
{
    private readonly Action _cut;
    private readonly Action _heal;
    private readonly TimeSpan _period;
    private readonly ManualResetEventSlim _stop = new();
    private readonly Lock _gate = new();
    private Thread? _thread;
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
        _thread = new Thread(Run) { IsBackground = true, Name = "netns flap" };
        _thread.Start();
    }

    internal void Stop()
    {
        lock (_gate)
        {
            if (_stopped) return;
            _stopped = true;
        }

        _stop.Set();
        _thread?.Join();
        _heal();
        _stop.Dispose();
    }

    private void Run()
    {
        var down = false;
        do
        {
            try
            {
                if (down) _heal();
                else _cut();
                down = !down;
                Interlocked.Increment(ref _toggles);
            }
            catch (Exception e)
            {
                LastError = e;
            }
        }
        while (!_stop.Wait(_period));
    }
}
