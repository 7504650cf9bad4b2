using System.Text;
using System.Text.Json;
using RingRift.P2P.Notifications;
using Xunit;

namespace RingRift.P2P.Tests.Notifications;

/// <summary>Body limits checked on the pure builder (the loopback tests check the shapes on the wire).</summary>
public class WebhookBodyTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 4, 5, 6, 7, 890, TimeSpan.FromHours(2));

    private static JsonElement Build(WebhookFormat format, string eventName, IReadOnlyDictionary<string, object?> payload) =>
        JsonDocument.Parse(Encoding.UTF8.GetString(WebhookBody.Build(format, eventName, payload, Now))).RootElement;

    [Fact]
    public void Discord_ContentIsCutTo2000Characters()
    {
        var body = Build(WebhookFormat.Discord, "log", new Dictionary<string, object?> { ["text"] = new string('x', 5000) });

        var content = body.GetProperty("content").GetString()!;
        Assert.Equal(2000, content.Length);
        Assert.EndsWith("…", content);
        Assert.StartsWith("**log** text=xxx", content);
    }

    [Fact]
    public void Discord_EmbedRespectsFieldAndTotalLimits()
    {
        var payload = Enumerable.Range(0, 40).ToDictionary(i => $"k{i:00}", i => (object?)new string('v', 2000));
        var embed = Build(WebhookFormat.Discord, "big", payload).GetProperty("embeds")[0];

        var fields = embed.GetProperty("fields").EnumerateArray().ToList();
        Assert.InRange(fields.Count, 1, 25);
        Assert.All(fields, f => Assert.Equal(1024, f.GetProperty("value").GetString()!.Length));
        var total = embed.GetProperty("title").GetString()!.Length
            + fields.Sum(f => f.GetProperty("name").GetString()!.Length + f.GetProperty("value").GetString()!.Length);
        Assert.True(total <= 6000, $"embed holds {total} characters");
    }

    [Fact]
    public void Timestamp_IsIso8601Utc()
    {
        var body = Build(WebhookFormat.Generic, "e", new Dictionary<string, object?>());
        Assert.Equal("2025-03-04T03:06:07.890Z", body.GetProperty("timestamp").GetString());
    }

    [Fact]
    public void Generic_KeepsValueTypes_AndTurnsUnserializableValuesIntoText()
    {
        var body = Build(WebhookFormat.Generic, "e", new Dictionary<string, object?>
        {
            ["n"] = 3,
            ["ok"] = true,
            ["none"] = null,
            ["nan"] = double.NaN,
            ["list"] = new[] { 1, 2 },
        }).GetProperty("payload");

        Assert.Equal(3, body.GetProperty("n").GetInt32());
        Assert.True(body.GetProperty("ok").GetBoolean());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("none").ValueKind);
        Assert.Equal("NaN", body.GetProperty("nan").GetString());
        Assert.Equal(2, body.GetProperty("list").GetArrayLength());
    }

    [Fact]
    public void Slack_EscapesControlCharacters_AndSplitsFieldsByTen()
    {
        var payload = Enumerable.Range(0, 12).ToDictionary(i => $"k{i}", i => (object?)"a<b>&c");
        var body = Build(WebhookFormat.Slack, "e", payload);

        Assert.Contains("k0=a&lt;b&gt;&amp;c", body.GetProperty("text").GetString());
        var sections = body.GetProperty("blocks").EnumerateArray().Where(b => b.GetProperty("type").GetString() == "section").ToList();
        Assert.Equal([10, 2], sections.Select(s => s.GetProperty("fields").GetArrayLength()));
    }

    [Fact]
    public void Text_UsesInvariantCulture()
    {
        var body = Build(WebhookFormat.Slack, "e", new Dictionary<string, object?> { ["accuracy"] = 0.76 });
        Assert.Equal("e: accuracy=0.76", body.GetProperty("text").GetString());
    }
}
