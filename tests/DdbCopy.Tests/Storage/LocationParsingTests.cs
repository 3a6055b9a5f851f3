using DdbCopy.Core.Jobs.Importing;
using DdbCopy.Core.Sources.MySql;
using DdbCopy.Core.Storage;

namespace DdbCopy.Tests.Storage;

/// <summary>Where files go (export --to) and what an import reads (--from): each kind parses its own scheme.</summary>
public sealed class LocationParsingTests
{
    [Theory]
    [InlineData("s3://bucket/some/prefix/", "bucket", "some/prefix")]
    [InlineData("S3://bucket", "bucket", "")]
    public void S3Urls_AreBucketAndPrefix_ForFilesAndImports(string value, string bucket, string prefix)
    {
        Assert.Equal(new S3Location(bucket, prefix), StorageLocation.TryParse(value, out _));
        Assert.Equal(new S3Location(bucket, prefix), ImportFrom.TryParse(value, out _));
    }

    [Theory]
    [InlineData("exports/today")]
    [InlineData("./odd:name")]
    [InlineData("/tmp/a://b")]
    public void Paths_AreLocal_ForFilesAndImports(string value)
    {
        Assert.Equal(new LocalLocation(Path.GetFullPath(value)), StorageLocation.TryParse(value, out var error));
        Assert.Null(error);
        Assert.Equal(new LocalLocation(Path.GetFullPath(value)), ImportFrom.TryParse(value, out _));
    }

    [Fact]
    public void AMySqlUrl_IsASourceOfImports_ButNoPlaceForFiles_AndItsPasswordIsNeverRepeated()
    {
        Assert.IsType<MySqlLocation>(ImportFrom.TryParse("mysql://app@db.internal/shop", out _));
        Assert.Null(StorageLocation.TryParse("mysql://app:hunter2@db.internal/shop", out var error));
        Assert.Equal("mysql://... is not a folder or an s3://bucket/prefix: only `ddbcopy import --from` reads a MySQL database", error);
    }

    [Fact]
    public void AnImport_HandsALocationToTheKindThatOwnsIt_AndReadsFilesItself()
    {
        var mysql = ImportFrom.TryParse("mysql://app@db.internal/shop", out _)!;

        Assert.Equal("mysql", ImportFrom.KindOf(mysql)?.Scheme);
        Assert.Null(ImportFrom.KindOf(new LocalLocation("/tmp/export")));
        Assert.Null(ImportFrom.KindOf(new S3Location("bucket", "prefix")));
        Assert.Equal(ImportFrom.Kinds.Count, ImportFrom.Kinds.Select(k => k.Scheme).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Theory]
    [InlineData("s3://", "names no bucket")]
    [InlineData("ftp://user:hunter2@host/x", "ftp://... is not a folder or an s3://bucket/prefix")]
    [InlineData("gs://bucket/x", "gs://... is not a folder")]
    public void WhatNoKindReads_IsRefusedByBoth(string value, string message)
    {
        Assert.Null(StorageLocation.TryParse(value, out var error));
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
        Assert.Null(ImportFrom.TryParse(value, out var importError));
        Assert.Equal(error, importError);
    }
}
