enum AtriumCoreModule {}
