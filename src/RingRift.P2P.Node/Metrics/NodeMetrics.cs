using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;

namespace RingRift.P2P.Node.Metrics;

/// <summary>
/// Metrics/ holds the node's instruments (one Meter per component, <c>RingRift.P2P.&lt;Component&gt;</c>) and
/// their export: Prometheus text on <c>GET /metrics</c> through OpenTelemetry, with ASP.NET Core's request
/// metrics and the runtime's (GC, thread pool, CPU, memory). Prometheus names start with <c>ringrift_p2p_</c>;
/// no label holds a work id, job id or path, so the series stay bounded.
/// </summary>
public static class NodeMetrics
{
    /// <summary>Meters of other libraries that are exported too: requests, Kestrel, and the runtime.</summary>
    public static readonly IReadOnlyList<string> PlatformMeters = ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Runtime"];

    public static IServiceCollection AddNodeMetrics(this IServiceCollection services)
    {
        services.AddSingleton<MembershipMetrics>();
        services.AddSingleton<LeadershipMetrics>();
        services.AddSingleton<QueueMetrics>();
        services.AddSingleton<JobMetrics>();
        services.AddSingleton<LoopMetrics>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(MembershipMetrics.MeterName, LeadershipMetrics.MeterName, QueueMetrics.MeterName, JobMetrics.MeterName, LoopMetrics.MeterName)
            .AddMeter([.. PlatformMeters])
            // Prometheus scrapes every 15 s or so: a cached answer would only hand a second scraper stale values.
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        services.ConfigureOpenTelemetryMeterProvider((sp, builder) => builder.AddView(OnlyThisNode(sp.GetRequiredService<IMeterFactory>())));
        return services;
    }

    /// <summary>
    /// Meters are found by name in the whole process, so where several nodes share one (tests, an embedding
    /// application) each would export the others' values too; a meter created by another container's factory is dropped.
    /// </summary>
    private static Func<Instrument, MetricStreamConfiguration?> OnlyThisNode(IMeterFactory own) =>
        instrument => instrument.Meter.Scope is IMeterFactory other && !ReferenceEquals(other, own) ? MetricStreamConfiguration.Drop : null;

    /// <summary>Creates the instruments (so counters that listen for events start at start-up) and maps <c>GET /metrics</c>.</summary>
    public static WebApplication MapMetrics(this WebApplication app)
    {
        app.Services.GetRequiredService<MembershipMetrics>();
        app.Services.GetRequiredService<LeadershipMetrics>();
        app.Services.GetRequiredService<QueueMetrics>();
        app.Services.GetRequiredService<JobMetrics>();
        app.Services.GetRequiredService<LoopMetrics>();
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
