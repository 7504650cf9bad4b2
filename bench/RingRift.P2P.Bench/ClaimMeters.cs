using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using RingRift.P2P.Node.Metrics;
using RingRift.P2P.Node.WorkQueue;

namespace RingRift.P2P.Bench;

/// <summary>
/// The node's queue instruments with an OpenTelemetry meter provider and the Prometheus exporter listening, as in a
/// node: recording a claim in <see cref="Queue"/> costs what it costs a node serving the queue.
/// </summary>
public sealed class ClaimMeters : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private ClaimMeters(ServiceProvider services)
    {
        _services = services;
        _services.GetRequiredService<MeterProvider>(); // starts listening
        Queue = _services.GetRequiredService<QueueMetrics>();
    }

    public QueueMetrics Queue { get; }

    public static ClaimMeters Start()
    {
        var services = new ServiceCollection();
        services.AddMetrics();
        services.AddSingleton<QueueStatsCache>();
        services.AddSingleton<QueueMetrics>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(QueueMetrics.MeterName).AddPrometheusExporter());
        return new ClaimMeters(services.BuildServiceProvider());
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
