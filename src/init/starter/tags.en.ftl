tag-example = Example
