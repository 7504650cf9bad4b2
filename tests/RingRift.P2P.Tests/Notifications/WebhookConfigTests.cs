using RingRift.P2P.Config;
using RingRift.P2P.Notifications;
using Xunit;

namespace RingRift.P2P.Tests.Notifications;

public class WebhookConfigTests
{
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("hooks.slack.com/services/x")]
    [InlineData("/relative/path")]
    [InlineData("ftp://example.com/hook")]
    [InlineData("file:///etc/passwd")]
    public void Constructor_RejectsUrlsThatAreNotAbsoluteHttp(string url)
    {
        var ex = Assert.Throws<ArgumentException>(() => new WebhookConfig(url, []));
        Assert.Equal("url", ex.ParamName);
        Assert.Contains("url", ex.Message);
    }

    [Theory]
    [InlineData("http://127.0.0.1:9/hook")]
    [InlineData("https://hooks.slack.com/services/T0/B0/xyz")]
    public void Constructor_AcceptsHttpAndHttpsUrls(string url)
    {
        Assert.Equal(url, new WebhookConfig(url, []).Url);
    }

    [Fact]
    public void Constructor_RejectsBlankEventNames()
    {
        var ex = Assert.Throws<ArgumentException>(() => new WebhookConfig("https://x.test/h", ["ok", " "]));
        Assert.Equal("events", ex.ParamName);
    }

    [Fact]
    public void Constructor_RejectsUndefinedFormat()
    {
        var ex = Assert.Throws<ArgumentException>(() => new WebhookConfig("https://x.test/h", [], (WebhookFormat)42));
        Assert.Equal("format", ex.ParamName);
    }

    [Fact]
    public void Subscribes_EveryEvent_WhenEventsEmpty()
    {
        var config = new WebhookConfig("https://x.test/h", []);
        Assert.True(config.Subscribes("training_complete"));
        Assert.True(config.Subscribes("anything"));
    }

    [Fact]
    public void Subscribes_OnlyListedEvents_IgnoringCase()
    {
        var config = new WebhookConfig("https://x.test/h", ["training_complete", " model_promoted "]);
        Assert.True(config.Subscribes("training_complete"));
        Assert.True(config.Subscribes("MODEL_PROMOTED"));
        Assert.False(config.Subscribes("node_offline"));
        Assert.Equal(2, config.Events.Count);
    }

    [Theory]
    [InlineData("https://hooks.slack.com/services/T0/B0/xyz", WebhookFormat.Slack)]
    [InlineData("https://HOOKS.SLACK.COM/services/T0/B0/xyz", WebhookFormat.Slack)]
    [InlineData("https://discord.com/api/webhooks/123/abc", WebhookFormat.Discord)]
    [InlineData("https://discordapp.com/api/webhooks/123/abc", WebhookFormat.Discord)]
    [InlineData("https://ptb.discord.com/api/webhooks/123/abc", WebhookFormat.Discord)]
    [InlineData("https://discord.com/channels/123", WebhookFormat.Generic)]
    [InlineData("https://notdiscord.com/api/webhooks/1/a", WebhookFormat.Generic)]
    [InlineData("https://slack.com/hooks", WebhookFormat.Generic)]
    [InlineData("http://127.0.0.1:8080/hook", WebhookFormat.Generic)]
    public void EffectiveFormat_Auto_PicksByUrl(string url, WebhookFormat expected)
    {
        Assert.Equal(expected, new WebhookConfig(url, []).EffectiveFormat);
    }

    [Fact]
    public void EffectiveFormat_ExplicitFormat_WinsOverUrl()
    {
        var config = new WebhookConfig("https://hooks.slack.com/services/x", [], WebhookFormat.Generic);
        Assert.Equal(WebhookFormat.Generic, config.EffectiveFormat);
    }

    [Fact]
    public void FromEnvironment_IsEmpty_WhenNoUrl()
    {
        Assert.Empty(WebhookConfig.FromEnvironment(new Dictionary<string, string?>()));
        Assert.Empty(WebhookConfig.FromEnvironment(new Dictionary<string, string?> { ["RINGRIFT_WEBHOOK_URL"] = "  " }));
    }

    [Fact]
    public void FromEnvironment_ReadsUrlEventsAndFormat()
    {
        var config = Assert.Single(WebhookConfig.FromEnvironment(new Dictionary<string, string?>
        {
            ["RINGRIFT_WEBHOOK_URL"] = "https://example.test/hook",
            ["RINGRIFT_WEBHOOK_EVENTS"] = "training_complete, model_promoted,,",
            ["RINGRIFT_WEBHOOK_FORMAT"] = " Discord ",
        }));

        Assert.Equal("https://example.test/hook", config.Url);
        Assert.Equal(["model_promoted", "training_complete"], config.Events.Order());
        Assert.Equal(WebhookFormat.Discord, config.Format);
    }

    [Fact]
    public void FromEnvironment_DefaultsToAllEventsAndAuto()
    {
        var config = Assert.Single(WebhookConfig.FromEnvironment(new Dictionary<string, string?> { ["RINGRIFT_WEBHOOK_URL"] = "https://example.test/hook" }));

        Assert.Empty(config.Events);
        Assert.Equal(WebhookFormat.Auto, config.Format);
    }

    [Fact]
    public void FromEnvironment_TheOriginalsSlackAndDiscordVariables_AreWebhooksInTheirFormats()
    {
        var webhooks = WebhookConfig.FromEnvironment(new Dictionary<string, string?>
        {
            ["RINGRIFT_WEBHOOK_URL"] = "https://example.test/hook",
            ["RINGRIFT_SLACK_WEBHOOK_URL"] = "https://example.test/slack",
            ["RINGRIFT_DISCORD_WEBHOOK_URL"] = "https://example.test/hook", // the same URL twice is one webhook
            ["RINGRIFT_WEBHOOK_EVENTS"] = "node_offline",
        });

        Assert.Equal(["https://example.test/hook", "https://example.test/slack"], webhooks.Select(w => w.Url));
        Assert.Equal([WebhookFormat.Auto, WebhookFormat.Slack], webhooks.Select(w => w.Format));
        Assert.All(webhooks, w => Assert.Equal(["node_offline"], w.Events));
        Assert.Equal(WebhookFormat.Discord, Assert.Single(WebhookConfig.FromEnvironment(new Dictionary<string, string?>
        {
            ["RINGRIFT_DISCORD_WEBHOOK_URL"] = "https://example.test/d",
        })).Format);
    }

    [Fact]
    public void FromEnvironment_AnUnknownEvent_IsRefusedNamingItAndTheKnownOnes()
    {
        var ex = Assert.Throws<P2PConfigException>(() => WebhookConfig.FromEnvironment(new Dictionary<string, string?>
        {
            ["RINGRIFT_SLACK_WEBHOOK_URL"] = "https://example.test/slack",
            ["RINGRIFT_WEBHOOK_EVENTS"] = "model_promoted,job_done",
        }));

        Assert.Equal("RINGRIFT_WEBHOOK_EVENTS", ex.Variable);
        Assert.Contains("'job_done'", ex.Message);
        Assert.Contains("training_triggered", ex.Message);
    }

    [Fact]
    public void FromEnvironment_BadFormat_NamesVariableValueAndAllowed()
    {
        var ex = Assert.Throws<P2PConfigException>(() => WebhookConfig.FromEnvironment(new Dictionary<string, string?>
        {
            ["RINGRIFT_WEBHOOK_URL"] = "https://example.test/hook",
            ["RINGRIFT_WEBHOOK_FORMAT"] = "teams",
        }));

        Assert.Equal("RINGRIFT_WEBHOOK_FORMAT", ex.Variable);
        Assert.Contains("'teams'", ex.Message);
        Assert.Contains("auto, slack, discord, generic", ex.Message);
    }

    [Theory]
    [InlineData("RINGRIFT_WEBHOOK_URL")]
    [InlineData("RINGRIFT_SLACK_WEBHOOK_URL")]
    [InlineData("RINGRIFT_DISCORD_WEBHOOK_URL")]
    public void FromEnvironment_BadUrl_NamesVariableAndValue(string variable)
    {
        var ex = Assert.Throws<P2PConfigException>(() => WebhookConfig.FromEnvironment(new Dictionary<string, string?>
        {
            [variable] = "ftp://example.test/hook",
        }));

        Assert.Equal(variable, ex.Variable);
        Assert.Contains("'ftp://example.test/hook'", ex.Message);
        Assert.Contains("http", ex.Message);
    }
}
