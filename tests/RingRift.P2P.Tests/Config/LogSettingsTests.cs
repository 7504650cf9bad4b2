using Microsoft.Extensions.Logging;
using RingRift.P2P.Config;
using Xunit;

namespace RingRift.P2P.Tests.Config;

public sealed class LogSettingsTests
{
    private static LogSettings From(params (string Name, string? Value)[] vars) =>
        LogSettings.FromEnvironment(vars.ToDictionary(v => v.Name, v => v.Value));

    [Fact]
    public void Defaults_AreTextAtInformation_TheConsoleNodesAlwaysWrote()
    {
        var d = From();

        Assert.Equal(LogFormat.Text, d.Format);
        Assert.Equal(LogLevel.Information, d.MinimumLevel);
        Assert.Equal(d, new LogSettings());
        Assert.Equal(d, From((LogSettings.FormatVariable, "  "), (LogSettings.LevelVariable, "")));
    }

    [Theory]
    [InlineData("text", LogFormat.Text)]
    [InlineData("json", LogFormat.Json)]
    [InlineData("JSON", LogFormat.Json)]
    [InlineData(" Json ", LogFormat.Json)]
    public void Format_IsReadInAnyCase(string raw, LogFormat expected) =>
        Assert.Equal(expected, From((LogSettings.FormatVariable, raw)).Format);

    [Theory]
    [InlineData("Trace", LogLevel.Trace)]
    [InlineData("debug", LogLevel.Debug)]
    [InlineData("INFORMATION", LogLevel.Information)]
    [InlineData("Warning", LogLevel.Warning)]
    [InlineData("error", LogLevel.Error)]
    [InlineData("Critical", LogLevel.Critical)]
    [InlineData("none", LogLevel.None)]
    public void Level_IsReadByNameInAnyCase(string raw, LogLevel expected) =>
        Assert.Equal(expected, From((LogSettings.LevelVariable, raw)).MinimumLevel);

    [Theory]
    [InlineData("xml")]
    [InlineData("plain")]
    [InlineData("1")]
    public void Format_Unknown_NamesVariableValueAndChoices(string raw)
    {
        var e = Assert.Throws<P2PConfigException>(() => From((LogSettings.FormatVariable, raw)));

        Assert.Equal($"RINGRIFT_LOG_FORMAT='{raw}' is invalid: expected one of text, json", e.Message);
    }

    [Theory]
    [InlineData("verbose")]
    [InlineData("info")]
    [InlineData("warn")]
    [InlineData("2")] // LogLevel's number is not a name
    public void Level_Unknown_NamesVariableValueAndChoices(string raw)
    {
        var e = Assert.Throws<P2PConfigException>(() => From((LogSettings.LevelVariable, raw)));

        Assert.Equal($"RINGRIFT_LOG_LEVEL='{raw}' is invalid: expected one of trace, debug, information, warning, error, critical, none", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Documented_NamesBothVariablesWithTheirDefaults() =>
        Assert.Equal([("RINGRIFT_LOG_FORMAT", "text"), ("RINGRIFT_LOG_LEVEL", "Information")],
            LogSettings.Documented.Select(r => (r.Variable, r.Default)));
}
