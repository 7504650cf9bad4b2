using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using RingRift.P2P.Notifications;
using RingRift.P2P.Testing.Logging;
using RingRift.P2P.Testing.Ports;
using RingRift.P2P.Testing.Waiting;
using Xunit;

namespace RingRift.P2P.Tests.Notifications;

/// <summary>The notifier against a real HTTP server on 127.0.0.1 (tiny delays keep it to seconds).</summary>
public class WebhookNotifierTests
{
    /// <summary>Tiny backoff; an attempt timeout no busy machine reaches, so an answer is never turned into a retry.</summary>
    private static readonly WebhookOptions Fast = new()
    {
        MaxRetries = 3,
        BaseDelay = TimeSpan.FromMilliseconds(5),
        Timeout = TimeSpan.FromSeconds(30),
    };

    private static readonly Dictionary<string, object?> Payload = new() { ["model"] = "hex8_2p_v3", ["accuracy"] = 0.76 };

    private static readonly DateTimeOffset Start = new(2025, 1, 31, 12, 0, 0, TimeSpan.Zero);

    private static WebhookConfig Config(LoopbackWebhookServer server, WebhookFormat format = WebhookFormat.Auto, params string[] events) =>
        new(server.Url(), events, format);

    private static JsonElement Json(ReceivedRequest request) => JsonDocument.Parse(request.Body).RootElement;

    [Fact]
    public async Task Generic_PostsEventTimestampAndPayload()
    {
        await using var server = LoopbackWebhookServer.Always(200);
        using var notifier = new WebhookNotifier(Fast, time: new FakeTimeProvider(Start));

        Assert.True(await notifier.SendAsync(Config(server), "training_complete", Payload));

        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/hook", request.Path);
        Assert.StartsWith("application/json", request.Headers["Content-Type"]);
        var body = Json(request);
        Assert.Equal("training_complete", body.GetProperty("event").GetString());
        Assert.Equal("2025-01-31T12:00:00.000Z", body.GetProperty("timestamp").GetString());
        Assert.Equal("hex8_2p_v3", body.GetProperty("payload").GetProperty("model").GetString());
        Assert.Equal(0.76, body.GetProperty("payload").GetProperty("accuracy").GetDouble());
    }

    [Fact]
    public async Task Slack_PostsReadableTextAndBlocks()
    {
        await using var server = LoopbackWebhookServer.Always(200);
        using var notifier = new WebhookNotifier(Fast, time: new FakeTimeProvider(Start));

        Assert.True(await notifier.SendAsync(Config(server, WebhookFormat.Slack), "training_complete", Payload));

        var body = Json(Assert.Single(server.Requests));
        Assert.Equal("training_complete: model=hex8_2p_v3, accuracy=0.76", body.GetProperty("text").GetString());
        var blocks = body.GetProperty("blocks");
        Assert.Equal("header", blocks[0].GetProperty("type").GetString());
        Assert.Equal("training_complete", blocks[0].GetProperty("text").GetProperty("text").GetString());
        Assert.Equal("*model*\nhex8_2p_v3", blocks[1].GetProperty("fields")[0].GetProperty("text").GetString());
        Assert.False(body.TryGetProperty("event", out _));
    }

    [Fact]
    public async Task Discord_PostsContentAndEmbed()
    {
        await using var server = LoopbackWebhookServer.Always(204);
        using var notifier = new WebhookNotifier(Fast, time: new FakeTimeProvider(Start));

        Assert.True(await notifier.SendAsync(Config(server, WebhookFormat.Discord), "model_promoted", Payload));

        var body = Json(Assert.Single(server.Requests));
        Assert.Equal("**model_promoted** model=hex8_2p_v3, accuracy=0.76", body.GetProperty("content").GetString());
        var embed = body.GetProperty("embeds")[0];
        Assert.Equal("model_promoted", embed.GetProperty("title").GetString());
        Assert.Equal("2025-01-31T12:00:00.000Z", embed.GetProperty("timestamp").GetString());
        Assert.Equal("accuracy", embed.GetProperty("fields")[1].GetProperty("name").GetString());
        Assert.Equal("0.76", embed.GetProperty("fields")[1].GetProperty("value").GetString());
    }

    [Fact]
    public async Task UnsubscribedEvent_SendsNothing_AndReturnsFalse()
    {
        await using var server = LoopbackWebhookServer.Always(200);
        using var notifier = new WebhookNotifier(Fast);

        Assert.False(await notifier.SendAsync(Config(server, WebhookFormat.Generic, "model_promoted"), "training_complete", Payload));
        Assert.True(await notifier.SendAsync(Config(server, WebhookFormat.Generic, "model_promoted"), "model_promoted", Payload));

        Assert.Equal(1, await server.ConnectionsAfterAsync(1));
        Assert.Equal("model_promoted", Json(server.Requests[0]).GetProperty("event").GetString());
    }

    [Fact]
    public async Task ServerErrorsThenSuccess_IsRetried_SameBodyEachTime()
    {
        await using var server = LoopbackWebhookServer.Sequence(500, 500, 200);
        using var notifier = new WebhookNotifier(Fast);

        Assert.True(await notifier.SendAsync(Config(server), "training_complete", Payload));

        Assert.Equal(3, await server.ConnectionsAfterAsync(3));
        Assert.Single(server.Requests.Select(r => r.Body).Distinct());
        Assert.Equal("training_complete", Json(server.Requests[2]).GetProperty("event").GetString());
    }

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(408)]
    [InlineData(429)]
    public async Task ClientError_IsNeverRetried(int status)
    {
        await using var server = LoopbackWebhookServer.Always(status);
        using var notifier = new WebhookNotifier(Fast);

        Assert.False(await notifier.SendAsync(Config(server), "training_complete", Payload));

        Assert.Equal(1, await server.ConnectionsAfterAsync(1));
    }

    [Fact]
    public async Task ServerErrorForever_GivesUpAfterOnePlusMaxRetries()
    {
        await using var server = LoopbackWebhookServer.Always(503);
        using var notifier = new WebhookNotifier(Fast);

        Assert.False(await notifier.SendAsync(Config(server), "training_complete", Payload));

        Assert.Equal(1 + Fast.MaxRetries, await server.ConnectionsAfterAsync(1 + Fast.MaxRetries));
    }

    [Fact]
    public async Task Retries_BackOffExponentiallyFromBaseDelay()
    {
        await using var server = LoopbackWebhookServer.Always(503);
        var logger = new ListLogger<WebhookNotifier>();
        using var notifier = new WebhookNotifier(Fast, logger);

        Assert.False(await notifier.SendAsync(Config(server), "training_complete", Payload));

        var retries = logger.Entries.Where(e => e.Message.Contains("retrying in")).Select(e => e.Message).ToList();
        Assert.Equal(3, retries.Count);
        Assert.Contains("retrying in 5 ms", retries[0]);
        Assert.Contains("retrying in 10 ms", retries[1]);
        Assert.Contains("retrying in 20 ms", retries[2]);
    }

    [Fact]
    public async Task SilentServer_AttemptTimesOut_IsRetried_ThenFalse()
    {
        // Attempt timeouts on virtual time: an attempt ends only when the test moves the clock, and
        // only once its request is at the server, however slowly a busy host connects.
        await using var server = LoopbackWebhookServer.Always(null);
        var time = new FakeTimeProvider(Start);
        var options = Fast with { MaxRetries = 2, BaseDelay = TimeSpan.Zero, Timeout = TimeSpan.FromMilliseconds(200) };
        using var notifier = new WebhookNotifier(options, time: time);

        var send = notifier.SendAsync(Config(server), "training_complete", Payload);
        for (var attempt = 1; attempt <= 1 + options.MaxRetries; attempt++)
        {
            await Eventually.Until(() => server.Requests.Count, n => n >= attempt, $"attempt {attempt}'s request at the silent server");
            time.Advance(options.Timeout - TimeSpan.FromTicks(1));
            Assert.False(send.IsCompleted, $"attempt {attempt} ended before its timeout");
            Assert.Equal(attempt, server.ConnectionCount); // not retried before the timeout either
            time.Advance(TimeSpan.FromTicks(1)); // the timeout: the attempt ends, the next one starts at once (no backoff)
        }

        Assert.False(await send.WaitAsync(Eventually.DefaultWithin));
        Assert.Equal(3, server.ConnectionCount);
    }

    [Fact]
    public async Task UnreachablePort_ReturnsFalse_AfterRetries()
    {
        var port = TestPorts.Free(); // reserved for this process, never bound: nobody listens there
        var logger = new ListLogger<WebhookNotifier>();
        using var notifier = new WebhookNotifier(Fast, logger);

        Assert.False(await notifier.SendAsync(new WebhookConfig($"http://127.0.0.1:{port}/hook", []), "training_complete", Payload));

        Assert.Equal(3, logger.Entries.Count(e => e.Message.Contains("HttpRequestException") && e.Message.Contains("retrying")));
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("failed"));
    }

    [Fact]
    public async Task FailureLog_NamesHostButNotSecretPath()
    {
        await using var server = LoopbackWebhookServer.Always(401);
        var logger = new ListLogger<WebhookNotifier>();
        using var notifier = new WebhookNotifier(Fast, logger);

        Assert.False(await notifier.SendAsync(new WebhookConfig(server.Url("/services/SECRET-TOKEN"), []), "training_complete", Payload));

        var warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains("127.0.0.1", warning.Message);
        Assert.Contains("401", warning.Message);
        Assert.DoesNotContain(logger.Entries, e => e.Message.Contains("SECRET-TOKEN"));
    }

    [Fact]
    public async Task CallerCancellation_ThrowsOperationCanceled()
    {
        await using var server = LoopbackWebhookServer.Always(null);
        using var notifier = new WebhookNotifier(Fast with { Timeout = TimeSpan.FromSeconds(30) });
        using var cts = new CancellationTokenSource();

        var send = notifier.SendAsync(Config(server), "training_complete", Payload, cts.Token);
        Assert.Equal(1, await server.ConnectionsAfterAsync(1)); // the request is in flight
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
    }

    [Fact]
    public async Task ConcurrentSends_AllDelivered()
    {
        await using var server = LoopbackWebhookServer.Always(200);
        using var notifier = new WebhookNotifier(Fast);
        var config = Config(server);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Task.Run(() => notifier.SendAsync(config, "job_done", new Dictionary<string, object?> { ["i"] = i }))));

        Assert.All(results, Assert.True);
        Assert.Equal(20, await server.ConnectionsAfterAsync(20));
        Assert.Equal(Enumerable.Range(0, 20), server.Requests.Select(r => Json(r).GetProperty("payload").GetProperty("i").GetInt32()).Order());
    }

    [Fact]
    public async Task SendAfterDispose_Throws()
    {
        var notifier = new WebhookNotifier(Fast);
        notifier.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() =>
            notifier.SendAsync(new WebhookConfig("http://127.0.0.1:9/h", []), "e", Payload));
    }
}
