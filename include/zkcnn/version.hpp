#pragma once

// The project version. CMake reads ZKCNN_VERSION_{MAJOR,MINOR,PATCH} from this file.
#define ZKCNN_VERSION_MAJOR 0
#define ZKCNN_VERSION_MINOR 1
#define ZKCNN_VERSION_PATCH 0
#define ZKCNN_VERSION_STRING "0.1.0"
