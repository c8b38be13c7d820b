# Type stub for the cffi extension built by crypto/_native/build.py.
from typing import Any

ffi: Any
lib: Any
