using Microsoft.Extensions.Logging;

namespace RingRift.P2P.Raft.Node;

/// <summary>
/// Passes DotNext's log to the host's loggers without the events that flood it under load or while
/// a peer is down: 74044 (follower too far behind), 74010 (member unavailable, with a stack trace
/// every heartbeat) and 74015 (start-up chatter). Those are counted instead; errors always pass.
/// </summary>
internal sealed class QuietRaftLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    private static readonly HashSet<int> Noisy = [74044, 74010, 74015];
    private long _suppressed;

    /// <summary>Events dropped so far.</summary>
    public long Suppressed => Interlocked.Read(ref _suppressed);

    public ILogger CreateLogger(string categoryName) => new Filtered(inner.CreateLogger(categoryName), this);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose()
    {
        // The host owns the inner factory.
    }

    private sealed class Filtered(ILogger inner, QuietRaftLoggerFactory owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel < LogLevel.Error && Noisy.Contains(eventId.Id))
            {
                Interlocked.Increment(ref owner._suppressed);
                return;
            }
            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
