using DdbCopy.Core.Jobs.Importing;
using DdbCopy.Core.Sources.MySql;

namespace DdbCopy.Tests.MySql;

public sealed class MySqlLocationTests
{
    [Fact]
    public void Parse_TakesUserHostPortDatabaseAndDriverOptions()
    {
        var location = Assert.IsType<MySqlLocation>(ImportFrom.TryParse("mysql://app@db.internal:3307/shop?sslMode=Required&sslCa=%2Fetc%2Fca.pem", out var error));

        Assert.Null(error);
        Assert.Equal(("app", "db.internal", 3307, "shop"), (location.User, location.Host, location.Port, location.Database));
        Assert.Equal("/etc/ca.pem", location.Options["sslCa"]);
        Assert.Equal("mysql://app@db.internal:3307/shop", location.ToString());
        Assert.Equal(3306, Assert.IsType<MySqlLocation>(ImportFrom.TryParse("mysql://app@db/shop", out _)).Port);
    }

    [Theory]
    [InlineData("mysql://app:hunter2@db/shop", "holds a password")]
    [InlineData("mysql://app@db/shop?password=hunter2", "holds a password")]
    [InlineData("mysql://db/shop", "names no user")]
    [InlineData("mysql://app@db/", "names no database")]
    [InlineData("mysql://app:Hunter2#x@host/db", "is not a MySQL URL")]
    [InlineData("mysql://app:hun/ter2@host/db", "")]
    [InlineData("mysql://app:hunter2@/db", "")]
    [InlineData("mysql://app:p@ss:hunter2@host:99999/db", "")]
    [InlineData("mysql://app@/db?sslMode=none&Password=hunter2", "")]
    public void Parse_Refuses_WhatCannotBeUsed_AndNeverRepeatsAPassword(string url, string message)
    {
        Assert.Null(ImportFrom.TryParse(url, out var error));

        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("ter2", error, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("mysql://app:Hunter2#x@host/db", "mysql://app:***@host/db")]
    [InlineData("mysql://app:a/b@host/db?sslMode=none", "mysql://app:***@host/db?sslMode=none")]
    [InlineData("mysql://app@host/db?pwd=x&sslMode=none", "mysql://app@host/db?pwd=***&sslMode=none")]
    [InlineData("mysql://app@host/db", "mysql://app@host/db")]
    public void Redact_LeavesOutThePasswordOfAnyUrl_EvenOneThatDoesNotParse(string url, string shown) => Assert.Equal(shown, MySqlLocation.Redact(url));
}
