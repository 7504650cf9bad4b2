using RingRift.P2P.Notifications;
using Xunit;

namespace RingRift.P2P.Tests.Notifications;

public class WebhookOptionsTests
{
    [Fact]
    public void Defaults_AreThreeRetries_500msBase_10sPerAttempt()
    {
        var options = new WebhookOptions();
        Assert.Equal(3, options.MaxRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Timeout);
        options.Validate();
    }

    [Fact]
    public void Validate_NamesTheBadField()
    {
        Assert.Equal("MaxRetries", Assert.Throws<ArgumentOutOfRangeException>(() => new WebhookOptions { MaxRetries = -1 }.Validate()).ParamName);
        Assert.Equal("BaseDelay", Assert.Throws<ArgumentOutOfRangeException>(() => new WebhookOptions { BaseDelay = TimeSpan.FromMilliseconds(-1) }.Validate()).ParamName);
        Assert.Equal("Timeout", Assert.Throws<ArgumentOutOfRangeException>(() => new WebhookOptions { Timeout = TimeSpan.FromMilliseconds(5) }.Validate()).ParamName);
    }

    [Fact]
    public void Notifier_RejectsInvalidOptions()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new WebhookNotifier(new WebhookOptions { MaxRetries = -1 }));
    }
}
