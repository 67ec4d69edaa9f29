// placeholder, replaced by the Node work
