namespace RingRift.P2P.Testing.Simulation;

/// <summary>
/// One simulated node's view of time (from <see cref="SimNetwork.TimeProviderFor"/>): the shared clock's
/// time and timestamps, with timers that respect the host's faults. A tick due while the host is stalled
/// is queued with the host's held packets and fires when the stall ends (at most one queued tick per
/// timer); once the host crashes, timers made through this view never fire again, even after a restart.
/// </summary>
internal sealed class SimNodeTimeProvider : TimeProvider
{
    private readonly SimNetwork _network;
    private readonly SimHost _host;
    private readonly int _life;

    internal SimNodeTimeProvider(SimNetwork network, SimHost host)
    {
        _network = network;
        _host = host;
        _life = host.Life;
    }

    public override DateTimeOffset GetUtcNow() => _network.Clock.GetUtcNow();

    public override long GetTimestamp() => _network.Clock.GetTimestamp();

    public override long TimestampFrequency => _network.Clock.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new NodeTimer(this, callback, state);
        timer.Inner = _network.Clock.CreateTimer(static s => ((NodeTimer)s!).OnTick(), timer, dueTime, period);
        return timer;
    }

    private bool IsAlive => !_host.Crashed && _host.Life == _life;

    /// <summary>Wraps a clock timer and gates its callback on the host's state.</summary>
    private sealed class NodeTimer(SimNodeTimeProvider owner, TimerCallback callback, object? state) : SimWork, ITimer
    {
        private bool _tickHeld;
        private bool _disposed;

        internal ITimer Inner { get; set; } = null!;

        public bool Change(TimeSpan dueTime, TimeSpan period) => Inner.Change(dueTime, period);

        public void Dispose()
        {
            _disposed = true;
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }

        internal void OnTick()
        {
            if (_disposed || !owner.IsAlive)
            {
                return; // a dead process runs nothing
            }

            if (owner._network.MustHold(owner._host))
            {
                if (!_tickHeld)
                {
                    _tickHeld = true;
                    owner._network.Hold(owner._host, this, null, 0);
                }

                return; // the starved process runs it when the stall ends
            }

            callback(state);
        }

        internal override void Execute()
        {
            _tickHeld = false;
            if (_disposed || !owner.IsAlive)
            {
                return;
            }

            callback(state);
        }
    }
}
