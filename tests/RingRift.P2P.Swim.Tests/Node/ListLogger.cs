using Microsoft.Extensions.Logging;

namespace RingRift.P2P.Swim.Tests.Node;

/// <summary>Collects formatted log lines (with exceptions) so a test can assert on or print them.</summary>
internal sealed class ListLogger : ILogger
{
    public List<string> Lines { get; } = [];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (Lines)
        {
            Lines.Add($"{logLevel} {eventId.Id} {formatter(state, exception)} {exception}");
        }
    }
}
