module github.com/timerdiff/timerdiff

go 1.26
