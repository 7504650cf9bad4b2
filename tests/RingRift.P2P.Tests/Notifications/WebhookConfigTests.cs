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
    public void FromEnvironment_ReturnsNull_WhenNoUrl()
    {
        Assert.Null(WebhookConfig.FromEnvironment(new Dictionary<string, string?>()));
        Assert.Null(WebhookConfig.FromEnvironment(new Dictionary<string, string?> { ["RINGRIFT_WEBHOOK_URL"] = "  " }));
    }

    [Fact]
    public void FromEnvironment_ReadsUrlEventsAndFormat()
    {
        var config = WebhookConfig.FromEnvironment(new Dictionary<string, string?>
        {
            ["RINGRIFT_WEBHOOK_URL"] = "https://example.test/hook",
            ["RINGRIFT_WEBHOOK_EVENTS"] = "training_complete, model_promoted,,",
            ["RINGRIFT_WEBHOOK_FORMAT"] = " Discord ",
        });

        Assert.NotNull(config);
        Assert.Equal("https://example.test/hook", config.Url);
        Assert.Equal(["model_promoted", "training_complete"], config.Events.Order());
        Assert.Equal(WebhookFormat.Discord, config.Format);
    }

    [Fact]
    public void FromEnvironment_DefaultsToAllEventsAndAuto()
    {
        var config = WebhookConfig.FromEnvironment(new Dictionary<string, string?> { ["RINGRIFT_WEBHOOK_URL"] = "https://example.test/hook" });

        Assert.NotNull(config);
        Assert.Empty(config.Events);
        Assert.Equal(WebhookFormat.Auto, config.Format);
    }

    [Fact]
    public void FromEnvironment_BadFormat_NamesVariableValueAndAllowed()
    {
        var ex = Assert.Throws<ArgumentException>(() => WebhookConfig.FromEnvironment(new Dictionary<string, string?>
        {
            ["RINGRIFT_WEBHOOK_URL"] = "https://example.test/hook",
            ["RINGRIFT_WEBHOOK_FORMAT"] = "teams",
        }));

        Assert.Equal("RINGRIFT_WEBHOOK_FORMAT", ex.ParamName);
        Assert.Contains("RINGRIFT_WEBHOOK_FORMAT", ex.Message);
        Assert.Contains("'teams'", ex.Message);
        Assert.Contains("auto, slack, discord, generic", ex.Message);
    }

    [Fact]
    public void FromEnvironment_BadUrl_NamesVariableAndValue()
    {
        var ex = Assert.Throws<ArgumentException>(() => WebhookConfig.FromEnvironment(new Dictionary<string, string?>
        {
            ["RINGRIFT_WEBHOOK_URL"] = "ftp://example.test/hook",
        }));

        Assert.Equal("RINGRIFT_WEBHOOK_URL", ex.ParamName);
        Assert.Contains("RINGRIFT_WEBHOOK_URL", ex.Message);
        Assert.Contains("'ftp://example.test/hook'", ex.Message);
        Assert.Contains("http", ex.Message);
    }
}
