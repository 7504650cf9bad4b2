using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace RingRift.P2P.Node.Tests.Storage;

/// <summary>
/// A webhook receiver on 127.0.0.1 (a free port chosen by the OS) that answers 200 and keeps every JSON
/// body POSTed to <c>/hook</c>, in arrival order.
/// </summary>
public sealed class WebhookSink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<JsonNode> _bodies = new();

    private WebhookSink(WebApplication app) => _app = app;

    /// <summary>The URL to configure as the node's webhook.</summary>
    public string Url { get; private set; } = "";

    /// <summary>Bodies received so far.</summary>
    public IReadOnlyList<JsonNode> Bodies => _bodies.ToArray();

    /// <summary>The <c>event</c> names received so far, in order.</summary>
    public IReadOnlyList<string> Events => Bodies.Select(b => b["event"]?.GetValue<string>() ?? "").ToArray();

    public static async Task<WebhookSink> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var sink = new WebhookSink(app);
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            var body = await JsonNode.ParseAsync(request.Body);
            if (body is not null) sink._bodies.Enqueue(body);
            return Results.Ok();
        });
        await app.StartAsync();
        sink.Url = app.Urls.Single().TrimEnd('/') + "/hook";
        return sink;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
