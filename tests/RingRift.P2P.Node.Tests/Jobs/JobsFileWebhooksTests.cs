using RingRift.P2P.Node.Jobs;
using RingRift.P2P.Notifications;

namespace RingRift.P2P.Node.Tests.Jobs;

/// <summary>The jobs file's <c>webhooks:</c> list: which cluster events go where.</summary>
public sealed class JobsFileWebhooksTests
{
    private static JobsFile Parse(string yaml) => JobsFile.Parse(yaml, "jobs.yaml", Path.GetTempPath());

    [Fact]
    public void Webhooks_AreRead_WithEventsAndFormat()
    {
        var file = Parse("""
            webhooks:
              - url: https://hooks.slack.com/services/T/B/X
                events: [model_promoted, node_offline]
              - url: http://127.0.0.1:9000/events
                format: generic
            """);

        Assert.Equal(2, file.Webhooks.Count);
        Assert.True(file.Webhooks[0].Subscribes("model_promoted"));
        Assert.False(file.Webhooks[0].Subscribes("training_triggered"));
        Assert.Equal(WebhookFormat.Slack, file.Webhooks[0].EffectiveFormat);
        Assert.True(file.Webhooks[1].Subscribes("leader_changed"));
        Assert.Equal(WebhookFormat.Generic, file.Webhooks[1].Format);
    }

    [Theory]
    [InlineData("webhooks:\n  - events: [model_promoted]\n", "line 2", "webhooks[0].url", "needs a url")]
    [InlineData("webhooks:\n  - url: ftp://x/y\n", "line 2", "webhooks[0].url", "http")]
    [InlineData("webhooks:\n  - url: http://x/y\n    events: [model_promotd]\n", "line 3", "webhooks[0].events", "unknown event 'model_promotd'")]
    [InlineData("webhooks:\n  - url: http://x/y\n    format: teams\n", "line 3", "webhooks[0].format", "teams")]
    [InlineData("webhooks:\n  - url: http://x/y\n    secret: s\n", "line 3", "webhooks[0].secret", "unknown key")]
    [InlineData("webhooks: http://x/y\n", "line 1", "webhooks", "expected a list")]
    public void BadWebhooks_NameTheLineAndKey(string yaml, string line, string key, string problem)
    {
        var error = Assert.Throws<JobsFileException>(() => Parse(yaml));

        Assert.Contains(line, error.Message);
        Assert.Contains(key, error.Message);
        Assert.Contains(problem, error.Message);
    }
}
