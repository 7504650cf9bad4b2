using RingRift.P2P.Config;
using Xunit;
using V = RingRift.P2P.Config.P2PEnvironmentVariables;

namespace RingRift.P2P.Tests.Config;

public sealed class P2PConfigAuthTokenTests : IDisposable
{
    private const string Secret = "tok-3f9a-SECRET";
    private readonly string _dir = Directory.CreateTempSubdirectory("ringrift-token-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static P2PConfig From(params (string Name, string? Value)[] vars) =>
        P2PConfig.FromEnvironment(vars.ToDictionary(v => v.Name, v => v.Value));

    private string WriteFile(string content)
    {
        var path = Path.Combine(_dir, "token");
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void Token_FromVariable_IsTrimmed() => Assert.Equal(Secret, From((V.AuthToken, $"  {Secret}\n")).AuthToken);

    [Fact]
    public void Token_FromFile_IsTrimmedContent() => Assert.Equal(Secret, From((V.AuthTokenFile, WriteFile($"{Secret}\n\n"))).AuthToken);

    [Fact]
    public void Token_FileMissing_NamesVariableAndPath()
    {
        var path = Path.Combine(_dir, "absent");
        var e = Assert.Throws<P2PConfigException>(() => From((V.AuthTokenFile, path)));

        Assert.Equal(V.AuthTokenFile, e.Variable);
        Assert.Equal(path, e.Value);
        Assert.StartsWith($"{V.AuthTokenFile}='{path}' is invalid: expected a readable file", e.Message);
    }

    [Fact]
    public void Token_FileIsADirectory_IsUnreadable()
    {
        var e = Assert.Throws<P2PConfigException>(() => From((V.AuthTokenFile, _dir)));
        Assert.Equal(_dir, e.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \n\t ")]
    public void Token_FileEmpty_IsRejected(string content)
    {
        var path = WriteFile(content);
        var e = Assert.Throws<P2PConfigException>(() => From((V.AuthTokenFile, path)));
        Assert.Equal(V.AuthTokenFile, e.Variable);
        Assert.Contains("empty", e.Message);
    }

    [Fact]
    public void Token_FileWithTwoLines_IsRejectedWithoutShowingTheContent()
    {
        var path = WriteFile($"{Secret}\nsecond-line");
        var e = Assert.Throws<P2PConfigException>(() => From((V.AuthTokenFile, path)));
        Assert.DoesNotContain(Secret, e.Message);
    }

    [Fact]
    public void Token_BothVariablesSet_NamesBothAndNotTheToken()
    {
        var path = WriteFile(Secret);
        var e = Assert.Throws<P2PConfigException>(() => From((V.AuthToken, Secret), (V.AuthTokenFile, path)));

        Assert.Contains(V.AuthToken, e.Message);
        Assert.Contains(V.AuthTokenFile, e.Message);
        Assert.DoesNotContain(Secret, e.Message);
        Assert.DoesNotContain(Secret, e.Value);
    }

    [Fact]
    public void Token_WithControlCharacterInCode_IsRejectedWithoutShowingIt()
    {
        var e = Assert.Throws<P2PConfigException>(() => new P2PConfig { AuthToken = Secret + "\r\nX-Evil: 1" });
        Assert.Equal(V.AuthToken, e.Variable);
        Assert.DoesNotContain(Secret, e.Message);
    }

    [Fact]
    public void ToString_RedactsTheToken_ButShowsEverySetting()
    {
        var config = From((V.AuthToken, Secret), (V.Voters, "a,b"), (V.Peers, "h:1"));
        var text = config.ToString();

        Assert.DoesNotContain(Secret, text);
        Assert.Contains("AuthToken = <redacted>", text);
        Assert.Contains("Voters = [a, b]", text);
        Assert.Contains("Peers = [h:1]", text);
        foreach (var property in typeof(P2PConfig).GetProperties().Where(p => p.GetMethod!.IsStatic is false))
            Assert.Contains($"{property.Name} = ", text);
    }

    [Fact]
    public void ToString_WithoutToken_SaysNull() => Assert.Contains("AuthToken = null", new P2PConfig().ToString());
}
